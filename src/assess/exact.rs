//! Exact arithmetic of the pro-rata sum: integers, never floats, at any count.

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The least common multiple of the thresholds.
pub fn lcm(t: &[u64; 3]) -> u128 {
    t.iter()
        .fold(1u128, |l, &x| l / gcd(l, x as u128) * x as u128)
}

/// The pro-rata sum scaled to integers: returns `(S, L)` with
/// `S / L = nA/TA + nB/TB + nC/TC` exactly, `L = lcm(TA, TB, TC)`.
pub fn scaled_sum(n: &[u128; 3], t: &[u64; 3]) -> (u128, u128) {
    let l = lcm(t);
    let s = n.iter().zip(t).map(|(&n, &t)| n * (l / t as u128)).sum();
    (s, l)
}

/// `S / L` truncated to 4 decimals, for display.
pub fn display_w(s: u128, l: u128) -> f64 {
    (s.saturating_mul(10_000) / l) as f64 / 10_000.0
}
