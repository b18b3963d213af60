//! The `time` module over the port's clock. In: programs run on `CapturePort`'s virtual clock
//! (moved by sleeps and `tick_step_us`), including one started just before the 2^30 tick wrap,
//! and a port that implements only the two writes. Out: assertions on ticks, differences
//! across the wrap, and the defaults of `Port`.

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Port, Vm};

fn image(source: &str) -> ImageBytes {
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        ..Default::default()
    };
    ImageBytes::Shared(
        frost_compiler::compile(source, &options)
            .unwrap()
            .image
            .into(),
    )
}

fn run_on(port: CapturePort, source: &str) -> String {
    let mut vm = Vm::new(port, Config::HOST);
    vm.run_main(image(source)).unwrap();
    let port = vm.into_port();
    assert_eq!(String::from_utf8(port.stderr).unwrap(), "");
    String::from_utf8(port.stdout).unwrap()
}

const PERIOD: u64 = 1 << 30;

#[test]
fn ticks_ms_wraps_and_ticks_diff_crosses_the_wrap() {
    let port = CapturePort {
        clock_us: (PERIOD - 3) * 1000,
        ..CapturePort::default()
    };
    let source = "import time\nt0 = time.ticks_ms()\nprint(t0)\ntime.sleep_ms(10)\n\
                  t1 = time.ticks_ms()\nprint(t1, time.ticks_diff(t1, t0), time.ticks_diff(t0, t1))\n";
    assert_eq!(run_on(port, source), format!("{}\n7 10 -10\n", PERIOD - 3));
}

#[test]
fn ticks_us_follows_the_clock_and_sleep_takes_floats() {
    let port = CapturePort {
        clock_us: PERIOD - 100,
        tick_step_us: 7,
        ..CapturePort::default()
    };
    let source = "import time\na = time.ticks_us()\nb = time.ticks_us()\nprint(a, b, time.ticks_diff(b, a))\n\
                  time.sleep(0.000250)\nc = time.ticks_us()\nprint(c, time.ticks_diff(c, b))\n";
    // b = a + 7 wraps to 2^30 - 93 ... 250 µs of sleep plus the 7 µs step moves c past the wrap.
    let a = PERIOD - 100;
    let b = a + 7;
    let c = (b + 7 + 250) % PERIOD;
    assert_eq!(run_on(port, source), format!("{a} {b} 7\n{c} 257\n"));
}

struct WriteOnly(Vec<u8>);

impl Port for WriteOnly {
    fn write_stdout(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn write_stderr(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

#[test]
fn a_port_without_a_clock_reads_zero_and_sleeps_return() {
    let mut vm = Vm::new(WriteOnly(Vec::new()), Config::DEVICE);
    let source = "import time\ntime.sleep(2)\nprint(time.ticks_ms(), time.ticks_us())\n";
    vm.run_main(image(source)).unwrap();
    assert_eq!(String::from_utf8(vm.into_port().0).unwrap(), "0 0\n");
}
