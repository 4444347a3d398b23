//! The OpenAPI 3.1 document of the JSON API, generated from the route table: every `/api/` route
//! contributes its path, method, parameters, summary and the JSON schemas of the types its
//! handler reads and returns (derived from those types, limits included). Nothing is written
//! twice, so the document cannot describe a route that is not routed or miss one that is.

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};

use crate::api_types::ErrorJson;
use crate::routes::{Access, ROUTES, Route};

/// A function that adds a type's schema to the document and returns its reference.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// The schema of `T`, registered under `#/components/schemas/`.
pub fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// How an API route is described.
#[derive(Clone, Copy)]
pub struct ApiDoc {
    pub summary: &'static str,
    pub request: Option<SchemaFn>,
    pub response: SchemaFn,
    /// 201 for a new resource (and 200 when an existing one is answered instead).
    pub creates: bool,
    /// Can answer 400 (invalid input).
    pub invalid: bool,
    /// Can answer 409 (someone else changed it first, or the state forbids it).
    pub conflict: bool,
    /// No sign-in needed.
    pub public: bool,
    /// Query parameters: (name, description), all optional strings.
    pub query: &'static [(&'static str, &'static str)],
}

impl ApiDoc {
    pub const fn new(summary: &'static str, request: Option<SchemaFn>, response: SchemaFn) -> Self {
        ApiDoc {
            summary,
            request,
            response,
            creates: false,
            invalid: false,
            conflict: false,
            public: false,
            query: &[],
        }
    }

    pub const fn public(
        summary: &'static str,
        request: Option<SchemaFn>,
        response: SchemaFn,
    ) -> Self {
        ApiDoc {
            public: true,
            ..ApiDoc::new(summary, request, response)
        }
    }

    pub const fn created(self) -> Self {
        ApiDoc {
            creates: true,
            ..self
        }
    }

    pub const fn invalid(self) -> Self {
        ApiDoc {
            invalid: true,
            ..self
        }
    }

    pub const fn conflict(self) -> Self {
        ApiDoc {
            conflict: true,
            ..self
        }
    }

    pub const fn query(self, query: &'static [(&'static str, &'static str)]) -> Self {
        ApiDoc { query, ..self }
    }
}

/// The path parameters of a route pattern (`{assessment}` → `assessment`).
pub fn path_parameters(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

fn parameter(name: &str) -> Value {
    let (schema, description) = match name {
        "item" => (json!({"type": "string"}), "Checklist item id, e.g. OPS-8"),
        "site" => (json!({"type": "integer"}), "Site id"),
        "assessment" => (json!({"type": "integer"}), "Assessment id"),
        "process" => (
            json!({"type": "integer"}),
            "Business process id (of the site)",
        ),
        "zone" => (json!({"type": "integer"}), "Zone id (of the site)"),
        "conduit" => (json!({"type": "integer"}), "Conduit id (of the site)"),
        "asset" => (json!({"type": "integer"}), "Asset id (of the site)"),
        "flow" => (json!({"type": "integer"}), "Data flow id (of the site)"),
        "vmatch" => (
            json!({"type": "integer"}),
            "Vulnerability match id (of the site)",
        ),
        _ => (json!({"type": "string"}), ""),
    };
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": schema})
}

fn error_response(description: &str, error: &Schema) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": error}}})
}

fn operation(
    route: &Route,
    doc: &ApiDoc,
    generator: &mut SchemaGenerator,
    error: &Schema,
) -> Value {
    let mut responses = Map::new();
    let ok = json!({"description": "OK", "content": {"application/json": {"schema": (doc.response)(generator)}}});
    if doc.creates {
        let mut created = ok.clone();
        created["description"] = json!("Created");
        responses.insert("201".into(), created);
    }
    responses.insert("200".into(), ok);
    let params = path_parameters(route.path);
    if doc.invalid {
        let d = "Invalid input: the detail names the field and what is expected";
        responses.insert("400".into(), error_response(d, error));
    }
    if !doc.public {
        responses.insert("401".into(), error_response("Not signed in", error));
        responses.insert(
            "403".into(),
            error_response("The role may not use this", error),
        );
    }
    if !params.is_empty() {
        let d = "No such resource, or it belongs to another company";
        responses.insert("404".into(), error_response(d, error));
    }
    if doc.conflict {
        let d = "Conflict: someone saved first, a name is taken, or the state forbids it";
        responses.insert("409".into(), error_response(d, error));
    }
    let mut parameters: Vec<Value> = params.iter().map(|p| parameter(p)).collect();
    parameters.extend(doc.query.iter().map(|(name, description)| {
        json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}})
    }));
    let mut op = json!({
        "summary": doc.summary,
        "parameters": parameters,
        "responses": responses,
    });
    if let Some(request) = doc.request {
        op["requestBody"] = json!({"required": false, "content": {"application/json": {"schema": request(generator)}}});
    }
    if doc.public {
        op["security"] = json!([]);
    }
    op
}

/// The document, from the route table.
pub fn document() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "#/components/schemas/".into();
    let mut generator = settings.into_generator();
    let error = generator.subschema_for::<ErrorJson>();
    let mut paths: Map<String, Value> = Map::new();
    for route in ROUTES.iter().filter(|r| r.path.starts_with("/api/")) {
        let Some(doc) = &route.api else { continue };
        let op = operation(route, doc, &mut generator, &error);
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        entry[route.verb.as_str().to_ascii_lowercase()] = op;
        debug_assert!(matches!(route.access, Access::Public) == doc.public);
    }
    let codes: Vec<&str> = crate::error::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kojo API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "Self-assessments of factories along METI's factory security guideline. Authentication: the session cookie of a signed-in company user (kojo_session). Other companies' data answers 404. Error codes: {}.",
                codes.join(", ")
            ),
        },
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "kojo_session"}},
            "schemas": generator.take_definitions(true),
        },
        "security": [{"session": []}],
        "paths": paths,
    })
}
