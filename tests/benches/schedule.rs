//! Cost of `micropython.schedule` plus the dispatch of one callback, and of the Rust-side
//! `SchedulerHandle::keyboard_interrupt` (run with `cargo bench -p frost-tests --bench schedule`).
//! In: a loop that schedules one callback per iteration (each back-edge check point runs it)
//! and the same loop without scheduling. Out: the difference per callback on stdout.

use std::rc::Rc;
use std::time::{Duration, Instant};

use frost_compiler::{Options, compile};
use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Vm};

const N: u32 = 200_000;

fn image(source: &str) -> Rc<[u8]> {
    let options = Options {
        source_name: "bench.py".into(),
        opt_level: 3,
        ..Default::default()
    };
    Rc::from(compile(source, &options).unwrap().image)
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn time(image: &Rc<[u8]>) -> Duration {
    median(5, || {
        let mut vm = Vm::new(CapturePort::default(), Config::HOST);
        vm.run_main(ImageBytes::Shared(Rc::clone(image))).unwrap();
    })
}

fn main() {
    let with = image(&format!(
        "import micropython\nschedule = micropython.schedule\n\ndef cb(x):\n    pass\n\n\
         for i in range({N}):\n    schedule(cb, i)\n"
    ));
    let without = image(&format!(
        "import micropython\nschedule = micropython.schedule\n\ndef cb(x):\n    pass\n\n\
         for i in range({N}):\n    cb(i)\n"
    ));
    let (a, b) = (time(&with), time(&without));
    let per = a.saturating_sub(b).as_nanos() as f64 / f64::from(N);
    println!(
        "schedule(cb, i) + dispatch at the next check point: {per:.0} ns more than calling cb(i) directly"
    );
    println!(
        "  loop with schedule: {:.1} ns/iter, loop calling cb: {:.1} ns/iter",
        a.as_nanos() as f64 / f64::from(N),
        b.as_nanos() as f64 / f64::from(N)
    );

    let vm = Vm::new(CapturePort::default(), Config::HOST);
    let handle = vm.scheduler_handle();
    let start = Instant::now();
    let mut full = 0u32;
    for _ in 0..N {
        // What an ISR pays to raise KeyboardInterrupt: one swap and one store.
        if handle.keyboard_interrupt() {
            full += 1;
        }
    }
    let per = start.elapsed().as_nanos() as f64 / f64::from(N);
    println!("SchedulerHandle::keyboard_interrupt: {per:.1} ns ({full} first)");
}
