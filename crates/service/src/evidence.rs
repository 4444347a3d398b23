//! Evidence attached to an answer: photos and PDFs, checked by their first bytes and size,
//! stored with the assessment, listed in the report's appendix.

use kojo_core::evidence::{self, EvidenceKind};
use kojo_core::ids::{AssessmentId, EvidenceId};
use kojo_storage::{Evidence, NewEvidence};

use crate::{Error, Problem, Result, Service, Who};

impl Service {
    /// Attaches a file to an item's answer of a draft assessment.
    pub async fn attach_evidence(
        &self,
        who: &Who,
        id: AssessmentId,
        item: &str,
        name: &str,
        content: &[u8],
    ) -> Result<EvidenceId> {
        let assessment = self.assessment_for(who, id).await?;
        let (checklist, _) = self.checklist_of(&assessment.checklist)?;
        let item = checklist.item(item).ok_or(Error::NotFound)?;
        if assessment.is_complete() {
            return Err(Error::Conflict(Problem::ReadOnly));
        }
        let kind = evidence::check(content).map_err(|r| Error::Invalid(Problem::Evidence(r)))?;
        let fallback = format!("{}-evidence.{}", item.id, extension(kind));
        let file_name = evidence::clean_name(name, &fallback);
        let new = NewEvidence {
            item_id: &item.id,
            file_name: &file_name,
            kind,
            content,
        };
        Ok(self.store().add_evidence(&who.actor(), id, &new).await?)
    }

    /// An assessment's evidence files (without content), by item.
    pub async fn evidence_list(&self, who: &Who, id: AssessmentId) -> Result<Vec<Evidence>> {
        self.check_assessment(who, id).await?;
        Ok(self.store().evidence_of(id).await?)
    }

    /// One evidence file of the assessment, with its content.
    pub async fn evidence_file(
        &self,
        who: &Who,
        id: AssessmentId,
        file: EvidenceId,
    ) -> Result<(Evidence, Vec<u8>)> {
        self.check_assessment(who, id).await?;
        let (meta, content) = self.store().evidence_file(file).await?;
        if meta.assessment_id != id {
            return Err(Error::NotFound);
        }
        Ok((meta, content))
    }

    /// Deletes an evidence file of a draft assessment; returns the item it was attached to.
    pub async fn delete_evidence(
        &self,
        who: &Who,
        id: AssessmentId,
        file: EvidenceId,
    ) -> Result<String> {
        let assessment = self.assessment_for(who, id).await?;
        let (meta, _) = self.evidence_file(who, id, file).await?;
        if assessment.is_complete() {
            return Err(Error::Conflict(Problem::ReadOnly));
        }
        self.store().delete_evidence(&who.actor(), file).await?;
        Ok(meta.item_id)
    }
}

/// The usual file extension of a kind (for a file that came without a name).
pub fn extension(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Jpeg => "jpg",
        EvidenceKind::Png => "png",
        EvidenceKind::Webp => "webp",
        EvidenceKind::Pdf => "pdf",
    }
}

/// A size as people read it: 850 KB, 2.4 MB.
pub fn size_label(bytes: i64) -> String {
    let b = bytes as f64;
    if b < 1_048_576.0 {
        format!("{:.0} KB", (b / 1024.0).ceil())
    } else {
        format!("{:.1} MB", b / 1_048_576.0)
    }
}
