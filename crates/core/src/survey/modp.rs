//! Exact rank over the rationals by arithmetic modulo primes, for the disclosure audit.
//!
//! The rank of an integer matrix modulo a prime p is never above its rank over the rationals, and
//! it is below only when p divides every nonzero minor of the largest size. Every minor is bounded
//! by Hadamard's inequality (the product of the rows' Euclidean lengths), so once the product of
//! the primes used exceeds that bound no nonzero minor is divisible by all of them, and the largest
//! rank seen modulo those primes is the rank over the rationals. The primes are found here by a
//! deterministic Miller–Rabin test (exact for every 64-bit integer), each just below 2^62.

use std::sync::OnceLock;

/// Every prime used is above this many bits' worth of magnitude (2^61 < p < 2^62).
pub const PRIME_BITS: f64 = 61.0;

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    ((a as u128 * b as u128) % m as u128) as u64
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

/// Deterministic for all n < 2^64 (the bases of Jim Sinclair's set).
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    for p in [2u64, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        if n % p == 0 {
            return n == p;
        }
    }
    let mut d = n - 1;
    let mut s = 0;
    while d % 2 == 0 {
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

/// The i-th prime below 2^62 (descending), for i < 64.
pub fn prime(i: usize) -> u64 {
    static PRIMES: OnceLock<Vec<u64>> = OnceLock::new();
    PRIMES.get_or_init(|| {
        let mut out = Vec::with_capacity(64);
        let mut n = (1u64 << 62) - 1;
        while out.len() < 64 {
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

pub fn sub(a: u64, b: u64, p: u64) -> u64 {
    if a >= b { a - b } else { a + p - b }
}

pub fn add(a: u64, b: u64, p: u64) -> u64 {
    let s = a + b;
    if s >= p { s - p } else { s }
}

pub fn mul(a: u64, b: u64, p: u64) -> u64 {
    mul_mod(a, b, p)
}

/// log2 of Hadamard's bound for every minor of a nonnegative integer matrix (rows of u64).
pub fn hadamard_bits(rows: &[Vec<u64>]) -> f64 {
    rows.iter()
        .map(|r| {
            let sq: f64 = r.iter().map(|&x| (x as f64) * (x as f64)).sum();
            if sq > 1.0 { 0.5 * sq.log2() } else { 0.0 }
        })
        .sum()
}

/// Row-reduces `m` (entries < p) in place; returns the pivot columns (their count is the rank).
/// `extra` columns at the end of each row are carried along but never chosen as pivots.
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

/// The rank of a square or rectangular integer matrix modulo p.
pub fn rank_mod(m: &[Vec<u64>], p: u64) -> usize {
    let mut a: Vec<Vec<u64>> = m
        .iter()
        .map(|r| r.iter().map(|&x| x % p).collect())
        .collect();
    let cols = a.first().map_or(0, Vec::len);
    reduce(&mut a, cols, p).len()
}

/// A basis of the null space {x : m x = 0} modulo p of an n×n (or r×n) matrix.
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

/// Exact ranks over the rationals of several nonnegative integer matrices (same column count),
/// and a prime at which every one of them has its rational rank.
pub fn exact_ranks(ms: &[&[Vec<u64>]]) -> (Vec<usize>, u64) {
    // A prime fails for matrix i only if it divides a fixed nonzero minor D_i; once the primes'
    // product exceeds the product of the bounds, some prime divides none of the D_i.
    let bits: f64 = ms.iter().map(|m| hadamard_bits(m)).sum::<f64>() + 1.0;
    let needed = (bits / PRIME_BITS).ceil().max(1.0) as usize;
    let mut best = vec![0usize; ms.len()];
    let mut per_prime = Vec::new();
    for i in 0.. {
        let p = prime(i % 64);
        let ranks: Vec<usize> = ms.iter().map(|m| rank_mod(m, p)).collect();
        for (b, r) in best.iter_mut().zip(&ranks) {
            *b = (*b).max(*r);
        }
        per_prime.push((p, ranks));
        if i + 1 >= needed
            && let Some((p, _)) = per_prime.iter().find(|(_, r)| *r == best)
        {
            return (best, *p);
        }
        if i + 1 >= 64 {
            break;
        }
    }
    // Unreachable for matrices whose bound fits in 64 primes; stay safe: the largest ranks seen.
    let p = per_prime
        .iter()
        .max_by_key(|(_, r)| r.iter().sum::<usize>())
        .map_or(prime(0), |(p, _)| *p);
    (best, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primes_are_primes_below_two_to_the_62() {
        for i in 0..64 {
            let p = prime(i);
            assert!(p < 1 << 62 && p > 1 << 61 && is_prime(p));
        }
        assert!(is_prime(2_305_843_009_213_693_951)); // 2^61 - 1
        assert!(!is_prime(2_305_843_009_213_693_953));
        assert!(!is_prime(1));
        assert!(is_prime(2));
    }

    #[test]
    fn rank_and_null_space() {
        let m = vec![vec![1, 1, 0], vec![0, 1, 1], vec![1, 2, 1]];
        let p = prime(0);
        assert_eq!(rank_mod(&m, p), 2);
        let ns = null_space(&m, 3, p);
        assert_eq!(ns.len(), 1);
        for row in &m {
            let dot = row
                .iter()
                .zip(&ns[0])
                .fold(0, |acc, (&a, &b)| add(acc, mul(a % p, b, p), p));
            assert_eq!(dot, 0);
        }
        let (ranks, _) = exact_ranks(&[&m, &m[..1]]);
        assert_eq!(ranks, vec![2, 1]);
    }
}
