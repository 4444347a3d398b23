//! The vulnerability content (`vuln/vendors.toml`): vendors with their spellings and brands, and
//! pairs never to be equated. Checked with the same folding matching uses
//! (`kojo_core::vuln::text::vendor_key`): no name may belong to two vendors, a spelling that
//! folds to another name of its own vendor is redundant, ids are well formed, never-equate pairs
//! name two known vendors.

use std::collections::HashMap;

use kojo_core::vuln::text::vendor_key;
use kojo_core::vuln::vendor::Aliases;

use crate::{Catalog, ContentError, ContentErrors};

pub(crate) const VENDORS: &str = "vuln/vendors.toml";

/// The version of the file format this build reads.
const SCHEMA: u32 = 1;

impl Catalog {
    /// The vendor lookup matching uses. The catalogue was validated when it was loaded, so the
    /// lookup is complete; an empty one is returned only for a catalogue built by hand.
    pub fn vendor_aliases(&self) -> Aliases {
        Aliases::new(&self.vendors).unwrap_or_default()
    }
}

pub(crate) fn validate(cat: &Catalog, errors: &mut ContentErrors) {
    let c = &cat.vendors;
    if c.schema != SCHEMA {
        errors.push(ContentError::file(
            VENDORS,
            format!("schema {} is not known (expected {SCHEMA})", c.schema),
        ));
    }
    for v in &c.vendors {
        let entry = format!("vendor {}", v.id);
        let well_formed = !v.id.is_empty()
            && v.id
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
        if !well_formed {
            errors.push(ContentError::entry(
                VENDORS,
                &entry,
                "the id must be lower-case letters, digits and dashes",
            ));
        }
        redundant(v, &entry, errors);
    }
    if let Err(problems) = Aliases::new(c) {
        for p in problems {
            errors.push(ContentError::entry(
                VENDORS,
                format!("vendor {}", p.vendor),
                p.message,
            ));
        }
    }
}

/// A spelling or brand that folds to a name the vendor already has says nothing new.
fn redundant(v: &kojo_core::vuln::vendor::Vendor, entry: &str, errors: &mut ContentErrors) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    seen.insert(vendor_key(&v.name.en), &v.name.en);
    seen.entry(vendor_key(&v.name.ja)).or_insert(&v.name.ja);
    for s in v.spellings.iter().chain(&v.brands) {
        let key = vendor_key(s);
        match seen.get(&key) {
            Some(other) => errors.push(ContentError::entry(
                VENDORS,
                entry,
                format!("{s:?} folds to {key:?} like {other:?}: not needed"),
            )),
            None => {
                seen.insert(key, s);
            }
        }
    }
}
