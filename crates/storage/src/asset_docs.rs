//! SBOM and VEX documents attached to a site's assets, kept as uploaded (migration 0011). The
//! service reads them again at every matching, so a better reader in a later kojo applies to
//! documents stored before it.

use kojo_core::ids::{AssetDocId, AssetId, SiteId};
use serde_json::json;

use crate::audit::audit;
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

/// A document to attach, already read by the service (the counts are what it found).
#[derive(Debug, Clone)]
pub struct AssetDocIn<'a> {
    pub asset: AssetId,
    pub file_name: &'a str,
    /// `kojo_formats::asset_doc::DocFormat::label`.
    pub format: &'a str,
    pub components: i64,
    pub statements: i64,
    pub document: &'a str,
}

/// A stored document.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssetDocRow {
    pub id: AssetDocId,
    pub asset_id: AssetId,
    pub file_name: String,
    pub format: String,
    pub components: i64,
    pub statements: i64,
    pub document: String,
    pub uploaded_at: i64,
}

impl Store {
    /// Attaches a document to one of the site's assets; NotFound when the asset is not the
    /// site's.
    pub async fn vuln_add_asset_document(
        &self,
        actor: &Actor,
        site: SiteId,
        doc: &AssetDocIn<'_>,
    ) -> Result<AssetDocId> {
        let now = now_millis();
        let id: Option<AssetDocId> = write_tx!(self, tx => {
            let id: Option<AssetDocId> = sqlx::query_scalar(
                "INSERT INTO vuln_asset_documents (site_id, asset_id, file_name, format, components, statements, \
                 document, uploaded_at) \
                 SELECT $1, id, $3, $4, $5, $6, $7, $8 FROM plant_assets WHERE id = $2 AND site_id = $1 \
                 RETURNING id",
            )
            .bind(site).bind(doc.asset).bind(doc.file_name).bind(doc.format).bind(doc.components)
            .bind(doc.statements).bind(doc.document).bind(now)
            .fetch_optional(&mut *tx).await?;
            if let Some(id) = id {
                audit!(tx, actor, "attach", "vuln_asset_document", Some(id), Some(json!({
                    "site_id": site, "asset_id": doc.asset, "file": doc.file_name, "format": doc.format,
                    "components": doc.components, "statements": doc.statements})));
            }
            id
        });
        id.ok_or(StoreError::NotFound)
    }

    /// A site's documents, by asset then upload order; `document` is left empty unless
    /// `with_text` (a list does not need the files).
    pub async fn vuln_asset_documents(
        &self,
        site: SiteId,
        with_text: bool,
    ) -> Result<Vec<AssetDocRow>> {
        let text = if with_text {
            "document"
        } else {
            "'' AS document"
        };
        let sql = format!(
            "SELECT id, asset_id, file_name, format, components, statements, {text}, uploaded_at \
             FROM vuln_asset_documents WHERE site_id = $1 ORDER BY asset_id, id"
        );
        Ok(read!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(site).fetch_all(p).await?
        }))
    }

    /// Removes one of the site's documents; NotFound when it is not the site's.
    pub async fn vuln_delete_asset_document(
        &self,
        actor: &Actor,
        site: SiteId,
        id: AssetDocId,
    ) -> Result<()> {
        let deleted: Option<String> = write_tx!(self, tx => {
            let name: Option<String> = sqlx::query_scalar(
                "DELETE FROM vuln_asset_documents WHERE id = $1 AND site_id = $2 RETURNING file_name",
            )
            .bind(id).bind(site).fetch_optional(&mut *tx).await?;
            if let Some(name) = &name {
                audit!(tx, actor, "delete", "vuln_asset_document", Some(id), Some(json!({
                    "site_id": site, "file": name})));
            }
            name
        });
        deleted.map(|_| ()).ok_or(StoreError::NotFound)
    }
}
