//! Evidence files: the page of an assessment's files and the report's appendix rows.

use askama::Template;
use askama_web::WebTemplate;
use kojo_core::checklist::Checklist;
use kojo_core::ids::{AssessmentId, EvidenceId};
use kojo_storage::Evidence;

use crate::Ctx;

/// One evidence file as listed.
pub struct EvidenceRow {
    pub id: EvidenceId,
    pub item: String,
    pub item_title: String,
    pub file_name: String,
    pub kind: &'static str,
    pub size: String,
    pub added: String,
}

impl EvidenceRow {
    pub fn new(ctx: &Ctx, checklist: &Checklist, e: &Evidence) -> EvidenceRow {
        EvidenceRow {
            id: e.id,
            item: e.item_id.clone(),
            item_title: checklist
                .item(&e.item_id)
                .map(|i| i.title.get(ctx.locale).to_string())
                .unwrap_or_default(),
            file_name: e.file_name.clone(),
            kind: match e.kind {
                kojo_core::evidence::EvidenceKind::Pdf => "PDF",
                kojo_core::evidence::EvidenceKind::Jpeg => "JPEG",
                kojo_core::evidence::EvidenceKind::Png => "PNG",
                kojo_core::evidence::EvidenceKind::Webp => "WebP",
            },
            size: kojo_service::evidence::size_label(e.size),
            added: kojo_core::format::date(e.created_at, ctx.locale),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "evidence.html")]
pub struct EvidencePage {
    pub ctx: Ctx,
    pub id: AssessmentId,
    pub site: String,
    pub read_only: bool,
    /// (id, title) of every item, for the upload form.
    pub items: Vec<(String, String)>,
    /// The item the form starts on.
    pub selected: String,
    /// What the file field accepts.
    pub accept: &'static str,
    pub rows: Vec<EvidenceRow>,
}
