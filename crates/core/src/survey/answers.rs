//! One respondent's answers: column name → cell, exactly the cells of a response file (codes
//! joined with `|` for multiple choice, a number, a free text). Stored as a JSON object of
//! strings; this is the one place that reads and writes that form.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Answers(BTreeMap<String, String>);

impl Answers {
    pub fn new() -> Answers {
        Answers::default()
    }

    /// Reads the stored JSON. Entries that are not strings, and text that is not a JSON object,
    /// are left out: what was stored was validated when it was stored.
    pub fn from_json(json: &str) -> Answers {
        match serde_json::from_str::<serde_json::Value>(json) {
            Ok(serde_json::Value::Object(m)) => Answers(
                m.into_iter()
                    .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
                    .collect(),
            ),
            _ => Answers::default(),
        }
    }

    /// The stored JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".into())
    }

    pub fn get(&self, column: &str) -> Option<&str> {
        self.0.get(column).map(String::as_str)
    }

    pub fn contains(&self, column: &str) -> bool {
        self.0.contains_key(column)
    }

    pub fn insert(&mut self, column: impl Into<String>, cell: impl Into<String>) {
        self.0.insert(column.into(), cell.into());
    }

    pub fn remove(&mut self, column: &str) -> Option<String> {
        self.0.remove(column)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, String)> for Answers {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Answers {
        Answers(iter.into_iter().collect())
    }
}

impl From<String> for Answers {
    fn from(json: String) -> Answers {
        Answers::from_json(&json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_what_is_not_a_string() {
        let mut a = Answers::new();
        a.insert("A1", "3");
        a.insert("C2", "1|4");
        assert_eq!(Answers::from_json(&a.to_json()), a);
        let lenient = Answers::from_json(r#"{"A1": "3", "B": 4, "C": null}"#);
        assert_eq!(lenient.len(), 1);
        assert_eq!(lenient.get("A1"), Some("3"));
        assert!(Answers::from_json("not json").is_empty());
    }
}
