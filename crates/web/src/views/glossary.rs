//! The glossary page.

use askama::Template;
use askama_web::WebTemplate;
use kojo_service::glossary::TermView;

use crate::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "glossary.html")]
pub struct GlossaryPage {
    pub ctx: Ctx,
    pub terms: Vec<TermView>,
    pub source: String,
}
