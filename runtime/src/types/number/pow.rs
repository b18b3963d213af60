//! `x ** y` for a positive finite base, correctly rounded but for vanishingly rare cases.
//! In: `x > 0` and a finite nonzero `y`. Out: the nearest float to x^y (infinite on overflow).
//!
//! libm's `pow` (fdlibm) is often one ulp off (`2.0 ** -0.5`); glibc's, which CPython uses, is
//! within 0.52 ulp. Method: ln(x) and y*ln(x) in double-double (about 100 bits), exp of that,
//! one final rounding. So frost matches CPython except near halfway cases where glibc rounds
//! the wrong way (about 2 in 10^4 random powers; frost is then the closer one).

/// A double-double: the unevaluated sum `hi + lo` with `|lo| <= ulp(hi) / 2`.
#[derive(Copy, Clone, Debug)]
struct Dd {
    hi: f64,
    lo: f64,
}

/// ln 2 rounded to double-double (0x3fe62e42fefa39ef + 0x3c7abc9e3b39803f).
const LN2: Dd = Dd {
    hi: core::f64::consts::LN_2,
    lo: 2.319_046_813_846_299_6e-17,
};

/// Past this |y * ln x| the result is certainly infinite or zero (ln of the largest float is
/// 709.8, of the smallest subnormal -744.4).
const EXP_LIMIT: f64 = 800.0;

/// x^y for `x > 0` finite and `y` finite nonzero.
pub(super) fn pow_positive(x: f64, y: f64) -> f64 {
    let log_x = ln(x);
    let rough = y * log_x.hi;
    if rough > EXP_LIMIT {
        return f64::INFINITY;
    }
    if rough < -EXP_LIMIT {
        return 0.0;
    }
    exp(mul(Dd { hi: y, lo: 0.0 }, log_x))
}

/// ln x for a positive finite x: x = 2^k * m with m in [sqrt(1/2), sqrt(2)), and
/// ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...) with s = (m - 1) / (m + 1), |s| < 0.172.
fn ln(x: f64) -> Dd {
    let (mut m, mut k) = libm::frexp(x); // x = m * 2^k, m in [0.5, 1), subnormals too
    if m < core::f64::consts::FRAC_1_SQRT_2 {
        m *= 2.0;
        k -= 1;
    }
    // m - 1 is exact (Sterbenz); m + 1 is kept exact as a double-double.
    let s = div(
        Dd {
            hi: m - 1.0,
            lo: 0.0,
        },
        two_sum(m, 1.0),
    );
    let s2 = mul(s, s);
    // s^2 < 0.0295, so 19 terms take the series below 2^-100 of its value.
    let mut sum = div_f(Dd { hi: 1.0, lo: 0.0 }, 39.0);
    for odd in (1..=37).rev().step_by(2) {
        sum = add(mul(sum, s2), div_f(Dd { hi: 1.0, lo: 0.0 }, f64::from(odd)));
    }
    let ln_m = mul_f(mul(s, sum), 2.0);
    add(mul_f(LN2, f64::from(k)), ln_m)
}

/// e^p rounded once to a float: p = n ln 2 + r, e^r from a short Taylor series of expm1 at
/// r / 2^10, squared back up ten times ((1 + e)^2 - 1 = e (e + 2) keeps e's precision).
fn exp(p: Dd) -> f64 {
    let n = libm::round(p.hi / LN2.hi);
    let r = add(p, mul_f(LN2, -n));
    let r = Dd {
        hi: r.hi / 1024.0,
        lo: r.lo / 1024.0,
    };
    let mut t = Dd { hi: 1.0, lo: 0.0 };
    for k in (2..=10).rev() {
        t = add(Dd { hi: 1.0, lo: 0.0 }, mul(div_f(r, f64::from(k)), t));
    }
    let mut e = mul(r, t);
    for _ in 0..10 {
        e = mul(e, add(e, Dd { hi: 2.0, lo: 0.0 }));
    }
    let result = add(Dd { hi: 1.0, lo: 0.0 }, e);
    let scaled = libm::scalbn(result.hi, n as i32);
    if scaled > 2.0 * f64::MIN_POSITIVE {
        return scaled; // normal: scaling by 2^n is exact
    }
    round_subnormal(result, n as i32)
}

/// `(v.hi + v.lo) * 2^n` rounded once to a multiple of 2^-1074, for a result at most twice the
/// smallest normal (where `scalbn` would round `hi` a second time).
fn round_subnormal(v: Dd, n: i32) -> f64 {
    // In units of 2^-1074: t < 2^53, so t, its floor and the fraction are exact.
    let shift = 1074 + n;
    let t = libm::scalbn(v.hi, shift);
    let floor = libm::floor(t);
    let fraction = (t - floor) + libm::scalbn(v.lo, shift);
    let units = if fraction > 0.5 || (fraction == 0.5 && libm::fmod(floor, 2.0) == 1.0) {
        floor + 1.0
    } else if fraction < -0.5 || (fraction == -0.5 && libm::fmod(floor, 2.0) == 1.0) {
        floor - 1.0
    } else {
        floor
    };
    libm::scalbn(units, -1074)
}

fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd {
        hi: s,
        lo: (a - (s - bb)) + (b - bb),
    }
}

fn fast_two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    Dd {
        hi: s,
        lo: b - (s - a),
    }
}

fn two_prod(a: f64, b: f64) -> Dd {
    let p = a * b;
    Dd {
        hi: p,
        lo: libm::fma(a, b, -p),
    }
}

fn add(a: Dd, b: Dd) -> Dd {
    let s = two_sum(a.hi, b.hi);
    let t = two_sum(a.lo, b.lo);
    let u = fast_two_sum(s.hi, s.lo + t.hi);
    fast_two_sum(u.hi, u.lo + t.lo)
}

fn mul(a: Dd, b: Dd) -> Dd {
    let p = two_prod(a.hi, b.hi);
    fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi))
}

fn mul_f(a: Dd, b: f64) -> Dd {
    let p = two_prod(a.hi, b);
    fast_two_sum(p.hi, p.lo + a.lo * b)
}

fn div(a: Dd, b: Dd) -> Dd {
    let q1 = a.hi / b.hi;
    let r = add(a, mul_f(b, -q1));
    let q2 = r.hi / b.hi;
    let r = add(r, mul_f(b, -q2));
    let q3 = r.hi / b.hi;
    add(fast_two_sum(q1, q2), Dd { hi: q3, lo: 0.0 })
}

fn div_f(a: Dd, b: f64) -> Dd {
    div(a, Dd { hi: b, lo: 0.0 })
}
