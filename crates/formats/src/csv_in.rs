//! The one CSV reader behind every CSV kojo reads: a table for import
//! ([`crate::table_in::read_csv`]) and the parallel count of `kojo survey analyze`
//! ([`crate::survey_csv::tally`]) decode, split and number records with these functions, so
//! both accept and refuse the same files.
//!
//! - Encoding: a UTF-16 byte-order mark is refused; a UTF-8 byte-order mark means UTF-8 (bad
//!   bytes are an error); otherwise valid UTF-8 is UTF-8 and anything else is Shift_JIS (CP932).
//! - Records (RFC 4180, leniently as the `csv` crate reads them): fields separated by `,`;
//!   records end at LF, CRLF or a lone CR; a field that starts with `"` is quoted and may hold
//!   separators, line breaks and `""` for a quote, and text after its closing quote is kept; a
//!   `"` inside an unquoted field is an ordinary character. Blank lines are skipped. A quote that
//!   is never closed, or a record longer than [`MAX_RECORD_BYTES`], is an error at the line
//!   where the record starts.
//! - Lines are numbered as an editor shows them: LF, CRLF and a lone CR each end one line,
//!   inside quoted fields too.
//!
//! The structural bytes (`,` `"` CR LF) are ASCII and never occur inside a UTF-8 or CP932
//! multi-byte character, so a file can be cut into chunks at record boundaries
//! ([`last_boundary`]) before it is decoded.

use std::borrow::Cow;

use crate::limits::MAX_RECORD_BYTES;

/// The name of UTF-8 in messages.
pub(crate) const UTF8: &str = "UTF-8";
/// The name of CP932 in messages.
pub(crate) const CP932: &str = "Shift_JIS (CP932)";

/// Bytes that are not text in the chosen encoding: where the first bad byte is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadBytes {
    pub offset: usize,
    pub encoding: &'static str,
}

/// The number of line breaks in `bytes`: LF, CRLF and a lone CR count one each. A CR at the
/// very end counts (the caller cuts only where a CR is not followed by LF).
pub(crate) fn line_breaks(bytes: &[u8]) -> usize {
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

/// Decodes CP932 bytes, or says where the first byte that is not CP932 is.
pub(crate) fn decode_cp932(bytes: &[u8]) -> Result<String, BadBytes> {
    let mut decoder = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut out = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, after) => Err(BadBytes {
            offset: read.saturating_sub(usize::from(bad) + usize::from(after)),
            encoding: CP932,
        }),
        // The capacity above is the decoder's own worst case.
        encoding_rs::DecoderResult::OutputFull => Err(BadBytes {
            offset: read,
            encoding: CP932,
        }),
    }
}

/// Why a record could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordError {
    /// A quoted field that starts in the record at `line` is not closed before the end.
    Unclosed { line: usize },
    /// The record at `line` is longer than [`MAX_RECORD_BYTES`].
    TooLong { line: usize },
}

/// The records of a decoded CSV text, one at a time.
pub(crate) struct Records<'t> {
    text: &'t str,
    pos: usize,
    line: usize,
}

impl<'t> Records<'t> {
    /// Records of `text`, whose first byte is on line `first_line`.
    pub(crate) fn new(text: &'t str, first_line: usize) -> Records<'t> {
        Records {
            text,
            pos: 0,
            line: first_line,
        }
    }

    /// Byte offset in the text after the last record read.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// The line at [`Records::offset`].
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// Reads the next record into `fields` and returns the line it starts on; `None` at the end.
    pub(crate) fn next_record(
        &mut self,
        fields: &mut Vec<Cow<'t, str>>,
    ) -> Result<Option<usize>, RecordError> {
        fields.clear();
        let b = self.text.as_bytes();
        while let Some(&c) = b.get(self.pos) {
            match c {
                b'\n' => self.line += 1,
                b'\r' if b.get(self.pos + 1) != Some(&b'\n') => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
        if self.pos >= b.len() {
            return Ok(None);
        }
        let (start, line) = (self.pos, self.line);
        let end = memchr::memchr2(b'\n', b'\r', &b[start..]).map_or(b.len(), |k| start + k);
        if memchr::memchr(b'"', &b[start..end]).is_none() {
            if end - start > MAX_RECORD_BYTES {
                return Err(RecordError::TooLong { line });
            }
            // Split on commas by hand: `str::split` searches for a char through a generic
            // searcher, which costs a third of an analysis.
            let mut from = start;
            for (i, &c) in b[start..end].iter().enumerate() {
                if c == b',' {
                    fields.push(Cow::Borrowed(&self.text[from..start + i]));
                    from = start + i + 1;
                }
            }
            fields.push(Cow::Borrowed(&self.text[from..end]));
            self.pos = end;
            return Ok(Some(line));
        }
        self.quoted(fields, start, line)
    }

    /// A record with quotes somewhere in its first line.
    fn quoted(
        &mut self,
        fields: &mut Vec<Cow<'t, str>>,
        start: usize,
        line: usize,
    ) -> Result<Option<usize>, RecordError> {
        let (text, b) = (self.text, self.text.as_bytes());
        let too_long = |i: usize| i - start > MAX_RECORD_BYTES;
        let field_end =
            |i: usize| memchr::memchr3(b',', b'\n', b'\r', &b[i..]).map_or(b.len(), |k| i + k);
        let mut i = start;
        loop {
            if b.get(i) == Some(&b'"') {
                i += 1;
                let mut seg = i;
                let mut owned: Option<String> = None;
                let mut field = loop {
                    let Some(k) = memchr::memchr(b'"', &b[i..]) else {
                        return Err(if too_long(b.len()) {
                            RecordError::TooLong { line }
                        } else {
                            RecordError::Unclosed { line }
                        });
                    };
                    let q = i + k;
                    self.line += line_breaks(&b[i..q]);
                    if too_long(q) {
                        return Err(RecordError::TooLong { line });
                    }
                    if b.get(q + 1) == Some(&b'"') {
                        owned
                            .get_or_insert_with(String::new)
                            .push_str(&text[seg..=q]);
                        i = q + 2;
                        seg = i;
                    } else {
                        i = q + 1;
                        break match owned.take() {
                            None => Cow::Borrowed(&text[seg..q]),
                            Some(mut o) => {
                                o.push_str(&text[seg..q]);
                                Cow::Owned(o)
                            }
                        };
                    };
                };
                // Text after the closing quote belongs to the field (as the csv crate reads it).
                let stop = field_end(i);
                if stop > i {
                    field.to_mut().push_str(&text[i..stop]);
                    i = stop;
                }
                fields.push(field);
            } else {
                let stop = field_end(i);
                fields.push(Cow::Borrowed(&text[i..stop]));
                i = stop;
            }
            if too_long(i) {
                return Err(RecordError::TooLong { line });
            }
            if b.get(i) == Some(&b',') {
                i += 1;
                continue;
            }
            break;
        }
        self.pos = i;
        Ok(Some(line))
    }
}

/// The end of the last complete record in `bytes`, which start at a record boundary: the
/// offset just after the last line break that is outside quotes (as [`Records`] reads them),
/// or `None` when there is none. A CR that ends `bytes` is not taken (an LF may follow it), nor
/// a quote that ends them (a second quote may follow it).
pub(crate) fn last_boundary(bytes: &[u8]) -> Option<usize> {
    let mut best = None;
    // Where the current stretch outside quotes began.
    let mut outside = 0;
    let mut i = 0;
    let mut in_quotes = false;
    let last_break = |from: usize, to: usize| -> Option<usize> {
        let k = from + memchr::memrchr2(b'\n', b'\r', &bytes[from..to])?;
        if bytes[k] == b'\r' && k + 1 == bytes.len() {
            // Maybe half of a CRLF: take the break before it.
            return memchr::memrchr2(b'\n', b'\r', &bytes[from..k]).map(|j| from + j + 1);
        }
        Some(k + 1)
    };
    loop {
        let Some(k) = memchr::memchr(b'"', &bytes[i..]) else {
            if !in_quotes && let Some(end) = last_break(outside, bytes.len()) {
                best = Some(end);
            }
            return best;
        };
        let q = i + k;
        if in_quotes {
            match bytes.get(q + 1) {
                None => return best,
                Some(b'"') => i = q + 2,
                Some(_) => {
                    in_quotes = false;
                    outside = q + 1;
                    i = q + 1;
                }
            }
        } else {
            let opens = q == 0 || matches!(bytes[q - 1], b',' | b'\n' | b'\r');
            if opens {
                if let Some(end) = last_break(outside, q) {
                    best = Some(end);
                }
                in_quotes = true;
            }
            i = q + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<(usize, Vec<String>)>, RecordError> {
        let mut records = Records::new(text, 1);
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while let Some(line) = records.next_record(&mut fields)? {
            out.push((line, fields.iter().map(|f| f.to_string()).collect()));
        }
        Ok(out)
    }

    #[test]
    fn records_like_rfc_4180_read_leniently() {
        let r = read("a,b\r\n\"x,1\",\"he said \"\"hi\"\"\"\r\n\"two\nlines\",z\n\n,\n").unwrap();
        assert_eq!(r[0], (1, vec!["a".into(), "b".into()]));
        assert_eq!(r[1], (2, vec!["x,1".into(), "he said \"hi\"".into()]));
        assert_eq!(r[2], (3, vec!["two\nlines".into(), "z".into()]));
        assert_eq!(r[3], (6, vec![String::new(), String::new()]));
        // A quote inside an unquoted field is a character; text after a closing quote is kept.
        let r = read("ab\"c,\"d\"e,\"\"\n").unwrap();
        assert_eq!(r[0].1, ["ab\"c", "de", ""]);
        // Lone CR ends a line, inside quotes too.
        let r = read("a\r\"b\rc\"\rd").unwrap();
        assert_eq!(
            r,
            [
                (1, vec!["a".into()]),
                (2, vec!["b\rc".into()]),
                (4, vec!["d".into()])
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_or_a_huge_record_names_its_line() {
        assert_eq!(
            read("a\nb\n\"open,\nx\ny\n"),
            Err(RecordError::Unclosed { line: 3 })
        );
        let long = format!("a\n{}\n", "x".repeat(MAX_RECORD_BYTES + 1));
        assert_eq!(read(&long), Err(RecordError::TooLong { line: 2 }));
        let long = format!("a\n\"{}\n", "x".repeat(MAX_RECORD_BYTES + 1));
        assert_eq!(read(&long), Err(RecordError::TooLong { line: 2 }));
    }

    #[test]
    fn line_breaks_count_like_an_editor() {
        assert_eq!(line_breaks(b"a\r\nb\nc\rd"), 3);
        assert_eq!(line_breaks(b"\r"), 1);
        assert_eq!(line_breaks(b""), 0);
    }

    #[test]
    fn boundaries_respect_quotes() {
        assert_eq!(last_boundary(b"a,b\nc,d\ne"), Some(8));
        assert_eq!(last_boundary(b"a,\"x\ny\"\nc"), Some(8));
        // The break inside the quotes is not a boundary.
        assert_eq!(last_boundary(b"a\n\"x\ny"), Some(2));
        assert_eq!(last_boundary(b"\"x\ny"), None);
        // A literal quote in an unquoted field does not open quotes.
        assert_eq!(last_boundary(b"a\"b\nc"), Some(4));
        // An escaped quote does not close them.
        assert_eq!(last_boundary(b"\"a\"\"\nb\"\nc"), Some(8));
        // A trailing CR or quote could pair with what follows.
        assert_eq!(last_boundary(b"a\nb\r"), Some(2));
        assert_eq!(last_boundary(b"a\n\"b\""), Some(2));
        assert_eq!(last_boundary(b"a\r\nb"), Some(3));
    }

    #[test]
    fn decoding_names_the_bad_byte() {
        assert_eq!(decode_cp932(b"\x82\xa0,1").unwrap(), "あ,1");
        assert_eq!(
            decode_cp932(b"ab\ncd\x81\n"),
            Err(BadBytes {
                offset: 5,
                encoding: CP932
            })
        );
    }
}
