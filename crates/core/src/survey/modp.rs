//! Exact rank over the rationals by arithmetic modulo primes, for the disclosure audit.
//!
//! The rank of an integer matrix modulo a prime p is never above its rank over the rationals, and
//! it is below only when p divides every nonzero minor of the largest size. Every minor is bounded
//! by Hadamard's inequality, here by columns: a minor is at most the product of its columns'
//! Euclidean lengths, and a column of the audit's 0/1 matrices with c ones has length √c. Once the
//! product of the primes used exceeds that bound, no nonzero minor is divisible by all of them, so
//! the largest rank seen modulo those primes is the rank over the rationals. The primes are found
//! here by a deterministic Miller–Rabin test (exact for every 64-bit integer), each just below 2^31
//! so that products fit in 64 bits.

use std::sync::OnceLock;

/// Every prime used is above 2^30.
pub const PRIME_BITS: f64 = 30.0;
const PRIMES: usize = 256;

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    crate::num::saturate::<u64, _>((a as u128 * b as u128) % m as u128)
}

fn pow_mod(mut a: u64, mut e: u64, m: u64) -> u64 {
    let mut r = 1u64 % m;
    a %= m;
    while e > 0 {
        if e & 1 == 1 {
            r = mul_mod(r, a, m);
        }
        a = mul_mod(a, a, m);
        e >>= 1;
    }
    r
}

/// Deterministic for all n < 2^64 (the seven bases of Jim Sinclair's set).
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    for p in [2u64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        if n.is_multiple_of(p) {
            return n == p;
        }
    }
    let mut d = n - 1;
    let mut s = 0;
    while d.is_multiple_of(2) {
        d /= 2;
        s += 1;
    }
    'bases: for a in [2u64, 325, 9375, 28178, 450775, 9780504, 1795265022] {
        let a = a % n;
        if a == 0 {
            continue;
        }
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

/// The i-th prime below 2^31 (descending), for i < 256.
pub fn prime(i: usize) -> u64 {
    static LIST: OnceLock<Vec<u64>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut out = Vec::with_capacity(PRIMES);
        let mut n = (1u64 << 31) - 1;
        while out.len() < PRIMES {
            if is_prime(n) {
                out.push(n);
            }
            n -= 2;
        }
        out
    })[i]
}

pub fn inv(a: u64, p: u64) -> u64 {
    pow_mod(a, p - 2, p)
}

#[inline]
pub fn sub(a: u64, b: u64, p: u64) -> u64 {
    if a >= b { a - b } else { a + p - b }
}

#[inline]
pub fn add(a: u64, b: u64, p: u64) -> u64 {
    let s = a + b;
    if s >= p { s - p } else { s }
}

#[inline]
pub fn mul(a: u64, b: u64, p: u64) -> u64 {
    a * b % p
}

/// log2 of Hadamard's bound by columns for every minor of a 0/1 matrix whose columns have the
/// given numbers of ones: the product of the `rows` longest columns' lengths.
pub fn minor_bits(ones: impl Iterator<Item = usize>, rows: usize) -> f64 {
    let mut v: Vec<usize> = ones.collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v.iter()
        .take(rows)
        .map(|&c| if c > 1 { 0.5 * (c as f64).log2() } else { 0.0 })
        .sum()
}

/// Row-reduces `m` (entries < p) on its first `cols` columns, in place; returns the pivot
/// columns (their count is the rank). Columns past `cols` are carried along.
pub fn reduce(m: &mut [Vec<u64>], cols: usize, p: u64) -> Vec<usize> {
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        if r == m.len() {
            break;
        }
        let Some(i) = (r..m.len()).find(|&i| m[i][c] != 0) else {
            continue;
        };
        m.swap(r, i);
        let f = inv(m[r][c], p);
        for x in m[r].iter_mut() {
            *x = mul(*x, f, p);
        }
        let (before, rest) = m.split_at_mut(r);
        let (pivot, after) = rest.split_at_mut(1);
        let pivot_row = &pivot[0];
        for row in before.iter_mut().chain(after.iter_mut()) {
            let f = row[c];
            if f != 0 {
                for (x, &y) in row.iter_mut().zip(pivot_row.iter()) {
                    if y != 0 {
                        *x = sub(*x, mul(f, y, p), p);
                    }
                }
            }
        }
        pivots.push(c);
        r += 1;
    }
    pivots
}

/// A basis of {x : m x = 0} modulo p, for a matrix with `n` columns.
pub fn null_space(m: &[Vec<u64>], n: usize, p: u64) -> Vec<Vec<u64>> {
    let mut a: Vec<Vec<u64>> = m
        .iter()
        .map(|r| r.iter().map(|&x| x % p).collect())
        .collect();
    let pivots = reduce(&mut a, n, p);
    let mut basis = Vec::new();
    for free in (0..n).filter(|c| !pivots.contains(c)) {
        let mut x = vec![0u64; n];
        x[free] = 1;
        for (row, &pc) in pivots.iter().enumerate() {
            x[pc] = sub(0, a[row][free], p);
        }
        basis.push(x);
    }
    basis
}

/// The span of 0/1 columns (given as the rows holding a one) modulo p, kept in reduced row
/// echelon form so that adding a column with c ones costs c·n operations.
#[derive(Debug, Clone)]
pub struct Span {
    pub p: u64,
    n: usize,
    /// Basis vectors (length n), each 1 at its pivot and 0 at every other pivot.
    pub basis: Vec<Vec<u64>>,
    pivots: Vec<usize>,
    /// For each row index: the basis vector pivoting there, if any.
    pivot_of: Vec<Option<usize>>,
}

impl Span {
    pub fn new(n: usize, p: u64) -> Span {
        Span {
            p,
            n,
            basis: Vec::new(),
            pivots: Vec::new(),
            pivot_of: vec![None; n],
        }
    }

    pub fn rank(&self) -> usize {
        self.basis.len()
    }

    /// Adds a column; returns whether it raised the rank.
    pub fn insert(&mut self, ones: &[usize]) -> bool {
        let p = self.p;
        let mut v = vec![0u64; self.n];
        for &i in ones {
            v[i] = add(v[i], 1, p);
        }
        for &i in ones {
            if let Some(b) = self.pivot_of[i] {
                let f = v[i];
                if f != 0 {
                    for (x, &y) in v.iter_mut().zip(&self.basis[b]) {
                        if y != 0 {
                            *x = sub(*x, mul(f, y, p), p);
                        }
                    }
                }
            }
        }
        let Some(piv) = (0..self.n).find(|&i| v[i] != 0) else {
            return false;
        };
        let f = inv(v[piv], p);
        for x in v.iter_mut() {
            *x = mul(*x, f, p);
        }
        for b in self.basis.iter_mut() {
            let f = b[piv];
            if f != 0 {
                for (x, &y) in b.iter_mut().zip(&v) {
                    if y != 0 {
                        *x = sub(*x, mul(f, y, p), p);
                    }
                }
            }
        }
        self.pivot_of[piv] = Some(self.basis.len());
        self.pivots.push(piv);
        self.basis.push(v);
        true
    }
}

/// Ranks of the column sets `first` and `first ∪ rest` of 0/1 columns over n rows modulo each of
/// enough primes that the largest ranks seen are the rational ranks. Returns (rank of `first`,
/// rank of both, per prime (p, rank of first, rank of both)). With `both_good`, primes are added
/// until one prime has both rational ranks at once.
pub fn exact_ranks(
    first: &[&[usize]],
    rest: &[&[usize]],
    n: usize,
    both_good: bool,
) -> (usize, usize, Vec<(u64, usize, usize)>) {
    let bits = minor_bits(first.iter().chain(rest).map(|c| c.len()), n);
    // Both matrices' bounds (one prime good for both needs the product of the two).
    let needed_bits = if both_good {
        2.0 * bits + 1.0
    } else {
        bits + 1.0
    };
    let needed = crate::num::trunc_usize((needed_bits / PRIME_BITS).ceil().max(1.0));
    let mut per_prime = Vec::new();
    let (mut rf, mut rb) = (0, 0);
    for i in 0..PRIMES {
        let p = prime(i);
        let mut span = Span::new(n, p);
        for c in first {
            span.insert(c);
        }
        let r_first = span.rank();
        for c in rest {
            span.insert(c);
        }
        rf = rf.max(r_first);
        rb = rb.max(span.rank());
        per_prime.push((p, r_first, span.rank()));
        if i + 1 >= needed && (!both_good || per_prime.iter().any(|&(_, a, b)| a == rf && b == rb))
        {
            break;
        }
    }
    (rf, rb, per_prime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primes_are_primes_between_two_to_the_30_and_31() {
        for i in 0..PRIMES {
            let p = prime(i);
            assert!(p < 1 << 31 && p > 1 << 30 && is_prime(p));
        }
        assert_eq!(prime(0), 2_147_483_647); // 2^31 - 1
        assert!(is_prime(2_305_843_009_213_693_951)); // 2^61 - 1
        assert!(!is_prime(2_305_843_009_213_693_953));
        assert!(!is_prime(1));
        assert!(is_prime(2));
    }

    #[test]
    fn spans_and_null_spaces() {
        // Columns e0+e1, e1+e2, e0+2e1+e2 (= the sum of the first two): rank 2.
        let p = prime(0);
        let mut s = Span::new(3, p);
        assert!(s.insert(&[0, 1]));
        assert!(s.insert(&[1, 2]));
        assert!(!s.insert(&[0, 1, 1, 2]));
        assert_eq!(s.rank(), 2);
        let m = vec![vec![1, 1, 0], vec![0, 1, 1]];
        let ns = null_space(&m, 3, p);
        assert_eq!(ns.len(), 1);
        for row in &m {
            let dot = row
                .iter()
                .zip(&ns[0])
                .fold(0, |acc, (&a, &b)| add(acc, mul(a, b, p), p));
            assert_eq!(dot, 0);
        }
        let (a, b, _) = exact_ranks(&[&[0, 1]], &[&[1, 2], &[0, 2]], 3, true);
        assert_eq!((a, b), (1, 3));
    }
}
