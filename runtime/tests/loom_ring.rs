//! Model check of the RingIO ring (`runtime/src/ringio.rs`) under loom. In: a producer and a
//! consumer, each in its own model thread, moving a short byte sequence through a tiny ring.
//! Out: a failure if any interleaving the memory model allows loses, reorders or invents a
//! byte, lets `any()`/`free()` exceed the capacity, or touches storage outside the ring.
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test -p frost-runtime --release --test loom_ring`
//! (`LOOM_MAX_PREEMPTIONS=N` explores deeper). Both ends are spawned: with one of them on the
//! model's main thread loom explores a single interleaving and misses ordering bugs.
//!
//! Reach: a producer publishing `put` with Relaxed (a byte read before it is written) fails
//! here. The mirror bug, the consumer publishing `get` with Relaxed (a byte overwritten
//! before it is read), needs load buffering, which loom does not model: that half of the
//! handshake rests on the argument in `runtime/src/ringio.rs`, not on this test.

#![cfg(loom)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use frost_runtime::cells::Cells;
use frost_runtime::ringio::{Consumer, Producer, Ring};
use loom::thread;

/// Preemptions loom tries per execution. A weakened `put` publication is caught with one;
/// three explores ~350k interleavings in under 20 s (four: 1.4M, over a minute).
const MAX_PREEMPTIONS: usize = 3;

/// A producer writing `pieces` in order, retrying what did not fit, and a consumer reading
/// `buf` bytes at a time (stopping after `stop` when given) until it has them all; then
/// checks that the consumer got exactly the pieces, in order, and that the ring is empty.
fn run(ring: &Arc<Ring>, pieces: &'static [&'static [u8]], buf: usize, stop: Option<u8>) {
    let total: usize = pieces.iter().map(|p| p.len()).sum();
    let expected: Vec<u8> = pieces.concat();
    let cap = ring.capacity();

    let producer = Producer(Arc::clone(ring));
    let writer = thread::spawn(move || {
        for piece in pieces {
            let mut rest: &[u8] = piece;
            while !rest.is_empty() {
                let n = producer.write(rest);
                rest = &rest[n..];
                if n == 0 {
                    thread::yield_now();
                    continue;
                }
                assert!(producer.free() <= cap, "free() above capacity");
            }
        }
    });

    let reader_ring = Arc::clone(ring);
    let reader = thread::spawn(move || {
        let consumer = Consumer(Arc::clone(&reader_ring));
        let mut got = Vec::new();
        let mut reads = Vec::new();
        let mut out = vec![0u8; buf];
        while got.len() < total {
            let n = match stop {
                Some(_) => reader_ring.read(&mut out, stop),
                None => consumer.read(&mut out),
            };
            if n == 0 {
                thread::yield_now();
                continue;
            }
            assert!(consumer.any() <= cap, "any() above capacity");
            got.extend_from_slice(&out[..n]);
            reads.push(out[..n].to_vec());
        }
        (got, reads)
    });

    writer.join().expect("producer panicked");
    let (got, reads) = reader.join().expect("consumer panicked");
    assert_eq!(got, expected, "bytes lost, reordered or invented");
    if let Some(stop) = stop {
        for read in &reads {
            let at = read.iter().position(|&b| b == stop);
            assert!(
                at.is_none_or(|i| i == read.len() - 1),
                "a stop-byte read went past the stop byte: {read:?}"
            );
        }
    }
    assert_eq!(ring.any(), 0);
    assert_eq!(ring.free(), cap);
}

/// Runs `f` under every interleaving loom explores and says how many there were.
fn model(name: &str, f: impl Fn() + Sync + Send + 'static) {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = builder.preemption_bound.or(Some(MAX_PREEMPTIONS));
    builder.check(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        f();
    });
    eprintln!("{name}: {} interleavings", count.load(Ordering::Relaxed));
}

/// Storage of 3 bytes (capacity 2): the 4-byte sequence forces the producer to wait for the
/// consumer, and both indices wrap.
#[test]
fn tiny_ring_keeps_order_and_content() {
    model("tiny", || {
        let ring = Arc::new(Ring::new(3).expect("ring"));
        run(&ring, &[b"ab", b"c", b"d"], 2, None);
    });
}

/// Both indices start at the last slot of storage, so the first line crosses its end; reads
/// stop after each `\n` as `readline` does, and never go past one.
#[test]
fn wrap_around_with_stop_byte_reads() {
    model("wrap", || {
        let ring = Arc::new(Ring::new(3).expect("ring"));
        assert_eq!(ring.write(b".."), 2);
        assert_eq!(ring.read(&mut [0; 2], None), 2);
        run(&ring, &[b"a\n", b"b\n"], 2, Some(b'\n'));
    });
}

/// A ring over bytes 2..5 of a 7-byte `Cells` (as `RingIO(buffer)` over a bytearray): the
/// bytes around the window keep their values whatever the interleaving.
#[test]
fn window_over_larger_cells_touches_only_the_window() {
    const FENCE: u8 = 0xEE;
    model("window", || {
        let cells = Cells::from_slice(&[FENCE; 7]).expect("cells");
        let ring = Arc::new(Ring::over(cells.share(), 2, 3).expect("ring"));
        run(&ring, &[b"xy", b"zw"], 2, None);
        for i in [0, 1, 5, 6] {
            assert_eq!(
                cells.get(i),
                Some(FENCE),
                "byte {i} outside the window changed"
            );
        }
    });
}
