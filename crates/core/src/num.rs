//! Number conversions that may lose digits, in one place with the reason they are safe. A float
//! becomes a whole number by truncation toward zero (as `as` does: NaN gives 0, out-of-range
//! values the nearest bound); a wide integer becomes a narrower one at the nearest bound instead
//! of wrapping.

/// `x` truncated toward zero, 0 for NaN and negatives, `usize::MAX` above it.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the documented meaning: `as` from a float truncates and saturates"
)]
pub fn trunc_usize(x: f64) -> usize {
    x as usize
}

/// `x` truncated toward zero, 0 for NaN, the nearest bound outside `i64`.
#[allow(
    clippy::cast_possible_truncation,
    reason = "the documented meaning: `as` from a float truncates and saturates"
)]
pub fn trunc_i64(x: f64) -> i64 {
    x as i64
}

/// `x` truncated toward zero into 0–255.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the documented meaning: `as` from a float truncates and saturates"
)]
pub fn trunc_u8(x: f64) -> u8 {
    x as u8
}

/// `n`, or the largest `T` when it does not fit (the smallest when below).
pub fn saturate<T, N>(n: N) -> T
where
    T: TryFrom<N> + Bounded,
    N: PartialOrd + Default + Copy,
{
    T::try_from(n).unwrap_or_else(|_| if n < N::default() { T::MIN } else { T::MAX })
}

/// The bounds [`saturate`] falls back to.
pub trait Bounded {
    const MIN: Self;
    const MAX: Self;
}

macro_rules! bounded {
    ($($t:ty),*) => {$(
        impl Bounded for $t {
            const MIN: $t = <$t>::MIN;
            const MAX: $t = <$t>::MAX;
        }
    )*};
}
bounded!(u8, u16, u32, u64, usize, i32, i64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_truncate_and_saturate() {
        assert_eq!(trunc_usize(2.9), 2);
        assert_eq!(trunc_usize(-3.0), 0);
        assert_eq!(trunc_usize(f64::NAN), 0);
        assert_eq!(trunc_i64(-2.9), -2);
        assert_eq!(trunc_u8(300.0), 255);
        assert_eq!(saturate::<u32, usize>(5), 5);
        assert_eq!(saturate::<u16, usize>(70_000), u16::MAX);
        assert_eq!(saturate::<u32, i64>(-1), 0);
        assert_eq!(saturate::<i32, i64>(i64::MIN), i32::MIN);
        assert_eq!(saturate::<u64, u128>(u128::MAX), u64::MAX);
    }
}
