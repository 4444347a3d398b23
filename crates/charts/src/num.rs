//! Float to whole-number conversion for drawing, with the reason it is safe.

/// `x` truncated toward zero (NaN and negatives give 0); chart sizes are small.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the documented meaning: `as` from a float truncates and saturates"
)]
pub fn trunc_usize(x: f64) -> usize {
    x as usize
}

/// `x` truncated toward zero (NaN gives 0, the nearest bound outside `i64`).
#[allow(
    clippy::cast_possible_truncation,
    reason = "the documented meaning: `as` from a float truncates and saturates"
)]
pub fn trunc_i64(x: f64) -> i64 {
    x as i64
}

/// `x` truncated toward zero into 0–255 (colour channels).
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the documented meaning: `as` from a float truncates and saturates"
)]
pub fn trunc_u8(x: f64) -> u8 {
    x as u8
}
