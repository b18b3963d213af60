//! The RingIO core (`frost_runtime::ringio`): limits, exact counts, wrap-around, and a
//! two-thread stress test. In: rings of several sizes; a producer thread writing 10^7 bytes (per ring size) of
//! a pseudo-random stream in uneven chunks while the consumer reads in other chunk sizes.
//! Out: assertions that nothing is lost, duplicated or corrupted (byte-exact comparison with
//! the regenerated stream, plus a checksum), and the measured throughput on stdout. Also Python
//! programs sharing a RingIO with Rust threads (polling it, and a RingIO over a bytearray).

use std::sync::Arc;
use std::thread;
use std::time::Instant;

use frost_runtime::cells::Cells;
use frost_runtime::image::ImageBytes;
use frost_runtime::ringio::{Consumer, MAX_LEN, MIN_LEN, Producer, Ring};
use frost_runtime::{CapturePort, Config, Vm};

#[test]
fn limits_follow_micropython() {
    assert!(Ring::new(MIN_LEN - 1).is_none());
    assert!(Ring::new(MAX_LEN + 1).is_none());
    assert_eq!(Ring::new(MIN_LEN).unwrap().capacity(), 1);
    assert_eq!(Ring::new(MAX_LEN).unwrap().capacity(), 65534);
}

#[test]
fn counts_are_exact_and_the_ring_wraps() {
    let ring = Ring::new(5).unwrap();
    assert_eq!((ring.any(), ring.free()), (0, 4));
    assert_eq!(ring.write(b"abcdef"), 4);
    assert_eq!(ring.write(b"x"), 0);
    let mut out = [0u8; 3];
    assert_eq!(ring.read(&mut out, None), 3);
    assert_eq!(&out, b"abc");
    assert_eq!(ring.write(b"\nxyz"), 3);
    let mut line = [0u8; 8];
    assert_eq!(ring.read(&mut line, Some(b'\n')), 2);
    assert_eq!(&line[..2], b"d\n");
    assert_eq!(ring.any(), 2);
    assert_eq!(ring.read(&mut line, None), 2);
    assert_eq!(&line[..2], b"xy");
    assert_eq!(ring.read(&mut line, None), 0);
}

#[test]
fn a_ring_over_cells_starts_empty_and_writes_land_in_them() {
    let cells = Cells::from_slice(b"zzzzzz").unwrap();
    let ring = Ring::over(cells.share(), 1, 4).unwrap();
    assert_eq!((ring.any(), ring.capacity()), (0, 3));
    assert_eq!(ring.write(b"abcd"), 3);
    assert_eq!(cells.to_vec().unwrap(), b"zabczz");
    assert!(Ring::over(cells.share(), 3, 4).is_none());
    assert!(Ring::over(cells.share(), 0, 1).is_none());
}

/// A VM on a capturing port after running `source` as `__main__`.
fn vm_after(source: &str) -> Vm<CapturePort> {
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        ..Default::default()
    };
    let image = frost_compiler::compile(source, &options).unwrap().image;
    let mut vm = Vm::new(CapturePort::default(), Config::HOST);
    vm.run_main(ImageBytes::Shared(image.into())).unwrap();
    vm
}

struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 24) as u8
    }
}

#[test]
fn a_producer_thread_and_a_consumer_lose_and_corrupt_nothing() {
    // The smallest ring passes one byte per handshake: fewer bytes keep it quick.
    for (len, total) in [(2usize, 200_000usize), (61, 10_000_000), (4096, 10_000_000)] {
        let ring = Arc::new(Ring::new(len).unwrap());
        let producer = Producer(Arc::clone(&ring));
        let consumer = Consumer(ring);
        let start = Instant::now();
        let writer = thread::spawn(move || {
            let mut stream = Stream(0x9E37_79B9_7F4A_7C15);
            let mut sum = 0u64;
            let mut chunk = Vec::new();
            let mut sent = 0;
            let mut size = 1;
            while sent < total {
                if chunk.is_empty() {
                    size = size % 97 + 1;
                    chunk = (0..size.min(total - sent)).map(|_| stream.next()).collect();
                }
                let n = producer.write(&chunk);
                for b in chunk.drain(..n) {
                    sum = sum.wrapping_mul(31).wrapping_add(u64::from(b));
                }
                sent += n;
                if n == 0 {
                    thread::yield_now();
                }
            }
            sum
        });
        let mut expected = Stream(0x9E37_79B9_7F4A_7C15);
        let mut sum = 0u64;
        let mut got = 0;
        let mut buf = [0u8; 113];
        let mut size = 1;
        while got < total {
            size = size % 113 + 1;
            let n = consumer.read(&mut buf[..size]);
            for &b in &buf[..n] {
                assert_eq!(b, expected.next(), "byte {got} differs (ring of {len})");
                sum = sum.wrapping_mul(31).wrapping_add(u64::from(b));
                got += 1;
            }
            if n == 0 {
                thread::yield_now();
            }
        }
        assert_eq!(writer.join().unwrap(), sum);
        assert_eq!(consumer.any(), 0);
        let secs = start.elapsed().as_secs_f64();
        println!(
            "ring of {len}: {total} bytes in {secs:.2} s ({:.1} MB/s)",
            total as f64 / secs / 1e6
        );
    }
}

#[test]
fn a_python_ringio_is_fed_from_rust() {
    let mut vm = vm_after("from micropython import RingIO\nr = RingIO(16)\nr.write(b'py')\n");
    let r = vm.main_global("r").unwrap();
    let (producer, consumer) = vm.ringio_ends(r).unwrap();
    assert_eq!(producer.write(b"-rust"), 5);
    let mut out = [0u8; 16];
    assert_eq!(consumer.read(&mut out), 7);
    assert_eq!(&out[..7], b"py-rust");
    assert!(vm.ringio_ends(frost_runtime::Value::NONE).is_none());
}

#[test]
fn python_polls_a_ringio_while_a_rust_thread_produces() {
    use frost_runtime::Value;
    const TOTAL: usize = 20_000;
    let source = "\
from micropython import RingIO
import select
r = RingIO(32)
def drain(total):
    p = select.poll()
    p.register(r, select.POLLIN)
    got = 0
    s = 0
    while got < total:
        for obj, ev in p.poll():
            data = obj.read()
            got += len(data)
            for b in data:
                s = (s * 31 + b) & 0xFFFF
    return s
";
    let mut vm = vm_after(source);
    let r = vm.main_global("r").unwrap();
    let (producer, _) = vm.ringio_ends(r).unwrap();
    let writer = thread::spawn(move || {
        let mut stream = Stream(7);
        let mut expected = 0u32;
        let mut sent = 0;
        while sent < TOTAL {
            let chunk: Vec<u8> = (0..(TOTAL - sent).min(13)).map(|_| stream.next()).collect();
            let mut off = 0;
            while off < chunk.len() {
                off += producer.write(&chunk[off..]);
                thread::yield_now();
            }
            for b in &chunk {
                expected = (expected * 31 + u32::from(*b)) & 0xFFFF;
            }
            sent += chunk.len();
        }
        expected
    });
    let got = vm.call_main_global("drain", &[Value::int(TOTAL as i64).unwrap()]);
    let expected = writer.join().unwrap();
    assert_eq!(got.unwrap().as_int(), Some(i64::from(expected)));
    assert!(vm.call_main_global("missing", &[]).is_err());
    let stderr = String::from_utf8(vm.into_port().stderr).unwrap();
    assert!(
        stderr.ends_with("NameError: name 'missing' isn't defined\n"),
        "{stderr}"
    );
}

#[test]
fn rust_writes_land_in_the_python_buffer_of_a_ringio() {
    let source = "\
from micropython import RingIO
buf = bytearray(b'........')
r = RingIO(buf)
def show():
    print(buf, r.any())
    out = bytearray(8)
    n = r.readinto(out)
    print(n, out[:n])
    r.write(b'py')
";
    let mut vm = vm_after(source);
    let r = vm.main_global("r").unwrap();
    let (producer, consumer) = vm.ringio_ends(r).unwrap();
    // An interrupt handler's writes are in the caller's bytearray, and Python reads them.
    let isr = thread::spawn(move || producer.write(b"isr"));
    assert_eq!(isr.join().unwrap(), 3);
    vm.call_main_global("show", &[]).unwrap();
    let mut out = [0u8; 8];
    assert_eq!(consumer.read(&mut out), 2);
    assert_eq!(&out[..2], b"py");
    let stdout = String::from_utf8(vm.into_port().stdout).unwrap();
    assert_eq!(stdout, "bytearray(b'isr.....') 3\n3 bytearray(b'isr')\n");
}
