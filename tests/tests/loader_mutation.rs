//! Mutation test of the loader. In: valid hand-built and compiled images and a deterministic
//! xorshift PRNG.
//! Out: 50 000 mutated images (byte flips, overwrites, insertions, deletions, truncations,
//! duplicated runs), each loaded as it is and again with its CRC fixed so the change reaches the
//! decoder and the verifier; then as many mutations of the code objects themselves. A panic
//! anywhere fails the test; both verdicts must occur.

use std::rc::Rc;

use frost_runtime::image::format::HEADER_LEN;
use frost_runtime::image::{ImageBytes, LoadError, Loaded, load};
use frost_tests::images::{bytes, compiled_dis_fixtures, fix_crc, hello, rich};
use frost_tests::rng::Rng;

const CASES: usize = 50_000;

fn mutate(image: &mut Vec<u8>, rng: &mut Rng) {
    // Mostly the body: header damage is refused before decoding and teaches little.
    let pos = |rng: &mut Rng, len: usize| {
        if len > HEADER_LEN && rng.below(8) != 0 {
            HEADER_LEN + rng.below(len - HEADER_LEN)
        } else {
            rng.below(len)
        }
    };
    match rng.below(6) {
        0 => {
            let at = pos(rng, image.len());
            image[at] ^= 1 << rng.below(8);
        }
        1 => {
            let at = pos(rng, image.len());
            image[at] = rng.next_u64() as u8;
        }
        2 => {
            let at = pos(rng, image.len() + 1).min(image.len());
            image.insert(at, rng.next_u64() as u8);
        }
        3 => {
            let at = pos(rng, image.len());
            image.remove(at);
        }
        4 => {
            let len = image.len();
            image.truncate(len - rng.below(len.min(16)) - 1);
        }
        _ => {
            let at = pos(rng, image.len());
            let run = 1 + rng.below(8);
            let end = (at + run).min(image.len());
            let copy: Vec<u8> = image[at..end].to_vec();
            let into = pos(rng, image.len() + 1).min(image.len());
            image.splice(into..into, copy);
        }
    }
}

/// Uses every part of an accepted image the VM would, so a bad view would panic here too.
fn touch(loaded: &Loaded) {
    let _ = loaded.source_name();
    for (i, code) in loaded.code.iter().enumerate() {
        let _ = loaded.name(code.name);
        for &local in &code.local_names {
            let _ = loaded.name(local);
        }
        for pc in 0..loaded.bytecode(i).len() as u32 + 1 {
            let _ = loaded.line_for(i, pc);
        }
    }
}

#[test]
fn mutated_images_never_panic() {
    let mut originals = vec![bytes(&hello()), bytes(&rich())];
    originals.extend(compiled_dis_fixtures());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut rejected, mut bad_crc) = (0usize, 0usize, 0usize);
    let mut kinds = std::collections::BTreeMap::new();
    for case in 0..CASES {
        let mut image = originals[case % originals.len()].clone();
        for _ in 0..1 + rng.below(3) {
            if image.is_empty() {
                break;
            }
            mutate(&mut image, &mut rng);
        }
        if let Err(LoadError::BadCrc { .. }) = load(ImageBytes::Shared(Rc::from(&image[..]))) {
            bad_crc += 1;
        }
        fix_crc(&mut image);
        match load(ImageBytes::Shared(Rc::from(&image[..]))) {
            Ok(loaded) => {
                touch(&loaded);
                accepted += 1;
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                let kind = format!("{e:?}");
                let kind = kind.split([' ', '(']).next().unwrap_or("").to_string();
                *kinds.entry(kind).or_insert(0usize) += 1;
                rejected += 1;
            }
        }
    }
    println!(
        "{CASES} mutations: {accepted} accepted, {rejected} rejected, {bad_crc} caught by CRC"
    );
    println!("rejections by kind: {kinds:?}");
    // Past the decoder: the verifier itself must see a good share of the mutations.
    let verifier = rejected
        - kinds.get("Malformed").copied().unwrap_or(0)
        - kinds.get("Truncated").copied().unwrap_or(0)
        - kinds.get("TrailingBytes").copied().unwrap_or(0);
    assert!(
        verifier > CASES / 20,
        "only {verifier} mutations reached the verifier"
    );
    assert!(
        accepted > 0,
        "no mutation was accepted: the test explores too little"
    );
    assert!(rejected > 0, "no mutation was rejected");
    assert!(
        bad_crc > CASES / 2,
        "the CRC caught only {bad_crc} of {CASES}"
    );
}

/// Mutates the code objects themselves (bytecode bytes, exception entries, counts) and writes a
/// well-formed container, so every case reaches the verifier.
#[test]
fn mutated_code_never_panics() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut accepted, mut rejected) = (0usize, 0usize);
    for case in 0..CASES {
        let mut module = if case % 2 == 0 { hello() } else { rich() };
        let c = rng.below(module.code.len());
        let code = &mut module.code[c];
        let mut bytecode = code.bytecode.to_vec();
        for _ in 0..1 + rng.below(3) {
            match rng.below(8) {
                0..=3 if !bytecode.is_empty() => {
                    let at = rng.below(bytecode.len());
                    bytecode[at] = rng.next_u64() as u8;
                }
                4 => {
                    let at = rng.below(bytecode.len() + 1);
                    bytecode.insert(at, rng.next_u64() as u8);
                }
                5 if !bytecode.is_empty() => {
                    bytecode.remove(rng.below(bytecode.len()));
                }
                6 => code.stack_size = rng.below(6) as u16,
                _ => {
                    if let Some(entry) = code.exc_table.first_mut() {
                        let field = rng.below(4);
                        let value = rng.below(40) as u16;
                        match field {
                            0 => entry.start = value,
                            1 => entry.end = value,
                            2 => entry.handler = value,
                            _ => entry.depth = value % 4,
                        }
                    }
                }
            }
        }
        code.bytecode = frost_tests::images::leak(bytecode);
        match load(ImageBytes::Shared(Rc::from(&bytes(&module)[..]))) {
            Ok(loaded) => {
                touch(&loaded);
                accepted += 1;
            }
            Err(_) => rejected += 1,
        }
    }
    println!("{CASES} code mutations: {accepted} accepted, {rejected} rejected");
    assert!(accepted > CASES / 100, "only {accepted} accepted");
    assert!(rejected > CASES / 2, "only {rejected} rejected");
}
