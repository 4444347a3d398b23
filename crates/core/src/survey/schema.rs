//! An instrument compiled into the columns of a response file: one column per question, one per
//! grid row (`question.row`). Each column knows how to read its cell (option codes, `a|b` for
//! several choices, numbers, text) and the routing that decides whether it applies.

use std::collections::HashMap;

/// The longest free-text answer kept when the instrument sets no length of its own.
pub const TEXT_ANSWER_MAX: usize = 4000;

use crate::instrument::{Condition, Instrument, Question, QuestionType};
use crate::text::Text;

/// What one cell holds once read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Missing,
    /// The index of the chosen option (single, band, grid row).
    Code(u16),
    /// The chosen options of a multiple-choice question, as bits.
    Mask(u64),
    Number(f64),
    /// A free-text answer (its length in characters; the text itself is not aggregated).
    Text(u32),
}

impl Value {
    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Missing)
    }

    /// Whether the value is one of the codes in `mask` (bit i = code index i).
    pub fn hits(&self, mask: u64) -> bool {
        match *self {
            Value::Code(c) => c < 64 && mask & (1u64 << c) != 0,
            Value::Mask(m) => m & mask != 0,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Single,
    Multiple,
    Number,
    Text,
}

/// A column of the response file.
#[derive(Debug, Clone)]
pub struct Column {
    /// `A1`, or `H1.ORG-1` for a grid row.
    pub name: String,
    /// Index of the question in the instrument (`None` for an organisation attribute).
    pub question: Option<usize>,
    /// Index of the grid row.
    pub row: Option<usize>,
    pub kind: Kind,
    pub codes: Vec<String>,
    /// Codes never ranked as the top answer ("unknown", "not applicable").
    pub neutral: Vec<bool>,
    pub exclusive: u64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub max_length: Option<usize>,
    /// Routing: the column applies only when this condition holds.
    pub show_if: Option<Compiled>,
    /// Labels of an attribute column's codes (question columns take theirs from the question).
    pub labels: Vec<crate::Text>,
    decoder: Decoder,
}

/// A routing condition or subgroup, compiled: column index and the codes as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compiled {
    pub column: usize,
    pub mask: u64,
}

impl Compiled {
    pub fn holds(&self, values: &[Value]) -> bool {
        values[self.column].hits(self.mask)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaError {
    Unknown(String),
    TooManyOptions(String),
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaError::Unknown(m) => write!(f, "{m}"),
            SchemaError::TooManyOptions(c) => write!(f, "{c}: more than 64 options"),
        }
    }
}

impl std::error::Error for SchemaError {}

/// Why a cell could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    /// What the cell should hold, in Japanese and English.
    pub expected: Text,
}

/// Fast lookup of short codes: codes of up to 8 bytes are packed into a u64 and binary-searched.
#[derive(Debug, Clone, Default)]
struct Decoder {
    packed: Vec<(u64, u16)>,
    long: HashMap<String, u16>,
}

fn pack(b: &[u8]) -> Option<u64> {
    if b.len() > 8 {
        return None;
    }
    let mut v = 0u64;
    for (i, byte) in b.iter().enumerate() {
        v |= (*byte as u64) << (8 * i);
    }
    Some(v | ((b.len() as u64) << 60))
}

impl Decoder {
    fn new(codes: &[String]) -> Decoder {
        let mut d = Decoder::default();
        for (i, c) in codes.iter().enumerate() {
            match pack(c.as_bytes()) {
                Some(p) if c.len() < 8 => d.packed.push((p, crate::num::saturate::<u16, _>(i))),
                _ => {
                    d.long.insert(c.clone(), crate::num::saturate::<u16, _>(i));
                }
            }
        }
        d.packed.sort_unstable();
        d
    }

    #[inline]
    fn get(&self, s: &str) -> Option<u16> {
        let b = s.as_bytes();
        if b.len() < 8 {
            let p = pack(b)?;
            return self
                .packed
                .binary_search_by_key(&p, |e| e.0)
                .ok()
                .map(|i| self.packed[i].1);
        }
        self.long.get(s).copied()
    }
}

/// An organisation attribute offered as a column (`@industry`, `@size_band`, `@association`,
/// `@sc3`) when responses come with their organisation.
#[derive(Debug, Clone)]
pub struct AttributeColumn {
    pub name: String,
    pub codes: Vec<String>,
    pub labels: Vec<crate::Text>,
}

#[derive(Debug, Clone)]
pub struct Schema<'a> {
    pub instrument: &'a Instrument,
    pub columns: Vec<Column>,
    by_name: HashMap<String, usize>,
    /// Columns of each question, in order.
    pub of_question: Vec<Vec<usize>>,
}

impl<'a> Schema<'a> {
    pub fn new(instrument: &'a Instrument) -> Result<Schema<'a>, SchemaError> {
        Schema::with_attributes(instrument, &[])
    }

    pub fn with_attributes(
        instrument: &'a Instrument,
        attributes: &[AttributeColumn],
    ) -> Result<Schema<'a>, SchemaError> {
        let mut columns = Vec::new();
        let mut by_name = HashMap::new();
        let mut of_question = Vec::new();
        for (qi, q) in instrument.questions.iter().enumerate() {
            let mut mine = Vec::new();
            for column in question_columns(qi, q)? {
                by_name.insert(column.name.clone(), columns.len());
                mine.push(columns.len());
                columns.push(column);
            }
            of_question.push(mine);
        }
        for a in attributes {
            by_name.insert(a.name.clone(), columns.len());
            columns.push(Column {
                name: a.name.clone(),
                question: None,
                row: None,
                kind: Kind::Single,
                decoder: Decoder::new(&a.codes),
                neutral: vec![false; a.codes.len()],
                codes: a.codes.clone(),
                exclusive: 0,
                min: None,
                max: None,
                max_length: None,
                show_if: None,
                labels: a.labels.clone(),
            });
        }
        let mut schema = Schema {
            instrument,
            columns,
            by_name,
            of_question,
        };
        for (qi, q) in instrument.questions.iter().enumerate() {
            if let Some(cond) = &q.show_if {
                let compiled = schema.compile(cond)?;
                for &c in &schema.of_question[qi].clone() {
                    schema.columns[c].show_if = Some(compiled);
                }
            }
        }
        Ok(schema)
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The column of a question (the first row's for a grid), or of a grid row.
    pub fn column_of(&self, question: &str, row: Option<&str>) -> Option<usize> {
        match row {
            Some(r) => self.column(&format!("{question}.{r}")),
            None => self.column(question),
        }
    }

    /// The column an organisation attribute is read from: an `@attribute` column when
    /// responses carry their organisation, else the question tagged with that attribute.
    pub fn attribute_column(&self, attribute: &str) -> Option<usize> {
        self.column(&format!("@{attribute}")).or_else(|| {
            let qi = self
                .instrument
                .questions
                .iter()
                .position(|q| q.attribute.as_deref() == Some(attribute))?;
            self.of_question[qi].first().copied()
        })
    }

    pub fn mask(&self, column: usize, codes: &[String]) -> Result<u64, SchemaError> {
        let col = &self.columns[column];
        let mut mask = 0u64;
        for c in codes {
            let i =
                col.codes.iter().position(|x| x == c).ok_or_else(|| {
                    SchemaError::Unknown(format!("{}: unknown code {c:?}", col.name))
                })?;
            if i >= 64 {
                return Err(SchemaError::TooManyOptions(col.name.clone()));
            }
            mask |= 1u64 << i;
        }
        Ok(mask)
    }

    pub fn compile(&self, cond: &Condition) -> Result<Compiled, SchemaError> {
        let column = self
            .column_of(&cond.question, cond.row.as_deref())
            .ok_or_else(|| SchemaError::Unknown(format!("unknown question {}", cond.question)))?;
        Ok(Compiled {
            column,
            mask: self.mask(column, &cond.codes)?,
        })
    }

    /// Reads one cell of a column. Empty means not answered.
    #[inline]
    pub fn read(&self, column: usize, cell: &str) -> Result<Value, CellProblem> {
        let col = &self.columns[column];
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(Value::Missing);
        }
        match col.kind {
            Kind::Single => col
                .decoder
                .get(cell)
                .map(Value::Code)
                .ok_or_else(|| self.expected_codes(col)),
            Kind::Multiple => self.read_multiple(col, cell),
            Kind::Number => self.read_number(col, cell),
            Kind::Text => read_text(col, cell),
        }
    }

    /// Codes separated by `|`; an exclusive code ("none of these") stands alone.
    fn read_multiple(&self, col: &Column, cell: &str) -> Result<Value, CellProblem> {
        let mut mask = 0u64;
        for part in cell.split('|') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let i = col
                .decoder
                .get(part)
                .ok_or_else(|| self.expected_codes(col))?;
            mask |= 1u64 << i;
        }
        if mask & col.exclusive != 0 && mask.count_ones() > 1 {
            let exclusive: Vec<&str> = col
                .codes
                .iter()
                .enumerate()
                .filter(|(i, _)| col.exclusive & (1u64 << i) != 0)
                .map(|(_, c)| c.as_str())
                .collect();
            return Err(CellProblem {
                expected: Text::new(
                    format!("{} は他の回答と同時に選べません", exclusive.join(", ")),
                    format!("{exclusive:?} cannot be combined with other answers"),
                ),
            });
        }
        Ok(if mask == 0 {
            Value::Missing
        } else {
            Value::Mask(mask)
        })
    }

    /// A number, with full-width digits and thousands separators accepted, within the column's
    /// bounds.
    fn read_number(&self, col: &Column, cell: &str) -> Result<Value, CellProblem> {
        let normalised: String = cell
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                '－' => '-',
                other => other,
            })
            .collect();
        let n: f64 = normalised.parse().map_err(|_| self.expected_number(col))?;
        if !n.is_finite() || col.min.is_some_and(|m| n < m) || col.max.is_some_and(|m| n > m) {
            return Err(self.expected_number(col));
        }
        Ok(Value::Number(n))
    }

    fn expected_codes(&self, col: &Column) -> CellProblem {
        let codes = col.codes.join(", ");
        let expected = if col.kind == Kind::Multiple {
            Text::new(
                format!("{codes} のいずれか（複数は | で区切る）"),
                format!("one of {codes} (several joined with |)"),
            )
        } else {
            Text::new(format!("{codes} のいずれか"), format!("one of {codes}"))
        };
        CellProblem { expected }
    }

    fn expected_number(&self, col: &Column) -> CellProblem {
        let expected = match (col.min, col.max) {
            (Some(a), Some(b)) => Text::new(
                format!("{a}以上{b}以下の数値"),
                format!("a number from {a} to {b}"),
            ),
            (Some(a), None) => Text::new(
                format!("{a}以上の数値"),
                format!("a number of at least {a}"),
            ),
            (None, Some(b)) => {
                Text::new(format!("{b}以下の数値"), format!("a number of at most {b}"))
            }
            (None, None) => Text::new("数値", "a number"),
        };
        CellProblem { expected }
    }

    /// Whether a column applies to a respondent (routing), given the values read so far.
    #[inline]
    pub fn applies(&self, column: usize, values: &[Value]) -> bool {
        self.columns[column].show_if.is_none_or(|c| c.holds(values))
    }

    /// Writes a value back as a cell (for simulated and exported files).
    pub fn write(&self, column: usize, value: Value, out: &mut String) {
        let col = &self.columns[column];
        match value {
            Value::Missing | Value::Text(_) => {}
            Value::Code(c) => out.push_str(&col.codes[c as usize]),
            Value::Mask(m) => {
                let mut first = true;
                for (i, code) in col.codes.iter().enumerate() {
                    if m & (1u64 << i) != 0 {
                        if !first {
                            out.push('|');
                        }
                        out.push_str(code);
                        first = false;
                    }
                }
            }
            Value::Number(n) => {
                use std::fmt::Write;
                let _ = write!(out, "{n}");
            }
        }
    }
}

/// Free text up to the column's limit; only its length is kept.
fn read_text(col: &Column, cell: &str) -> Result<Value, CellProblem> {
    let len = cell.chars().count();
    let max = col.max_length.unwrap_or(TEXT_ANSWER_MAX);
    if len > max {
        return Err(CellProblem {
            expected: Text::new(
                format!("{max}文字以内"),
                format!("at most {max} characters"),
            ),
        });
    }
    Ok(Value::Text(crate::num::saturate::<u32, _>(len)))
}

/// A question's columns: one, or one per row of a grid.
fn question_columns(qi: usize, q: &Question) -> Result<Vec<Column>, SchemaError> {
    let (kind, choices) = match q.kind {
        QuestionType::Single | QuestionType::Band => (Kind::Single, &q.options),
        QuestionType::Multiple => (Kind::Multiple, &q.options),
        QuestionType::Number => (Kind::Number, &q.options),
        QuestionType::Text => (Kind::Text, &q.options),
        QuestionType::Grid => (Kind::Single, &q.columns),
    };
    let codes: Vec<String> = choices.iter().map(|c| c.code.clone()).collect();
    if codes.len() > 64 && kind == Kind::Multiple {
        return Err(SchemaError::TooManyOptions(q.id.clone()));
    }
    let neutral: Vec<bool> = choices.iter().map(|c| c.neutral).collect();
    let exclusive = q
        .exclusive
        .iter()
        .filter_map(|x| codes.iter().position(|c| c == x))
        .fold(0u64, |m, i| m | (1u64 << i));
    let rows: Vec<(Option<usize>, String)> = if q.kind == QuestionType::Grid {
        q.rows
            .iter()
            .enumerate()
            .map(|(ri, r)| (Some(ri), format!("{}.{}", q.id, r.id)))
            .collect()
    } else {
        vec![(None, q.id.clone())]
    };
    Ok(rows
        .into_iter()
        .map(|(row, name)| Column {
            name,
            question: Some(qi),
            row,
            kind,
            decoder: Decoder::new(&codes),
            codes: codes.clone(),
            neutral: neutral.clone(),
            exclusive,
            min: q.min,
            max: q.max,
            max_length: q.max_length,
            show_if: None,
            labels: Vec::new(),
        })
        .collect())
}
