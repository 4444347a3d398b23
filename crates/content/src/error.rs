//! Content errors name the file, the entry and what is wrong.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// Path relative to `content/`.
    pub file: String,
    /// The entry (e.g. `item ORG-1 / measure ORG-1-m2`), when the error is inside one.
    pub entry: Option<String>,
    pub message: String,
}

impl ContentError {
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> ContentError {
        ContentError {
            file: file.into(),
            entry: None,
            message: message.into(),
        }
    }

    pub fn entry(
        file: impl Into<String>,
        entry: impl Into<String>,
        message: impl Into<String>,
    ) -> ContentError {
        ContentError {
            file: file.into(),
            entry: Some(entry.into()),
            message: message.into(),
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(entry) => write!(f, "{}: {}: {}", self.file, entry, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// All errors found in one pass, so an author sees every problem at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<ContentError>);

impl ContentErrors {
    pub fn one(e: ContentError) -> ContentErrors {
        ContentErrors(vec![e])
    }

    pub fn push(&mut self, e: ContentError) {
        self.0.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ContentError> {
        self.0.iter()
    }
}

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        write!(f, "{} content error(s)", self.0.len())
    }
}

impl std::error::Error for ContentErrors {}
