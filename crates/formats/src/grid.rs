//! Positions in a worksheet. Rows and columns are counted as `usize` in kojo and as `u32`/`u16`
//! in rust_xlsxwriter; a count too large for the writer becomes its largest value, which the
//! writer then refuses with its own range error instead of wrapping to a wrong cell.

/// A zero-based row for the writer.
pub fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A zero-based column for the writer.
pub fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    #[test]
    fn too_large_positions_saturate_instead_of_wrapping() {
        assert_eq!(super::row(3), 3);
        assert_eq!(super::col(70_000), u16::MAX);
        assert_eq!(super::row(usize::MAX), u32::MAX);
    }
}
