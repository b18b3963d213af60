//! Benchmarks of the pipeline (run with `cargo bench -p frost-tests`). In: every fixture program
//! and the programs in fixtures/bench/. Out: figures on stdout — compile throughput, the largest
//! fixture's source size, image size and compile time, and VM run times. Numbers, not
//! assertions: performance is measured here, never by timed tests.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use frost_compiler::{Options, compile};
use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Vm};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// The median of `runs` timings of `f`.
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

fn options(level: u8) -> Options {
    Options {
        source_name: "bench.py".into(),
        opt_level: level,
        source_lines: true,
    }
}

fn main() {
    let mut programs: Vec<(PathBuf, String)> = std::fs::read_dir(fixtures().join("run"))
        .expect("fixtures/run")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("fixture text");
            (p, text)
        })
        .collect();
    programs.sort();

    let (mut source_bytes, mut image_bytes) = (0usize, 0usize);
    let all = median(5, || {
        source_bytes = 0;
        image_bytes = 0;
        for (_, text) in &programs {
            if let Ok(c) = compile(text, &options(2)) {
                source_bytes += text.len();
                image_bytes += c.image.len();
            }
        }
    });
    println!(
        "compile fixtures/run at -O2: {} programs, {source_bytes} source bytes -> {image_bytes} image bytes in {:.2} ms ({:.1} MB/s)",
        programs.len(),
        all.as_secs_f64() * 1e3,
        source_bytes as f64 / all.as_secs_f64() / 1e6
    );

    if let Some((path, text)) = programs.iter().max_by_key(|(_, t)| t.len()) {
        for level in [0, 3] {
            let mut size = 0;
            let t = median(21, || {
                size = compile(text, &options(level)).map_or(0, |c| c.image.len())
            });
            println!(
                "largest fixture {} at -O{level}: {} source bytes -> {size} image bytes, compile {:.1} us",
                path.file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
                text.len(),
                t.as_secs_f64() * 1e6
            );
        }
    }

    let setup = median(5, || drop(Vm::new(CapturePort::default(), Config::HOST)));
    println!("Vm::new(Config::HOST): {:.2} ms", setup.as_secs_f64() * 1e3);
    for name in ["fib.py", "loops.py"] {
        let text =
            std::fs::read_to_string(fixtures().join("bench").join(name)).expect("bench program");
        let image: Rc<[u8]> = compile(&text, &options(2))
            .expect("bench program compiles")
            .image
            .into();
        let t = median(5, || {
            let mut vm = Vm::new(CapturePort::default(), Config::HOST);
            let _ = vm.run_main(ImageBytes::Shared(image.clone()));
        });
        println!(
            "run fixtures/bench/{name} (Vm::new included): {:.2} ms",
            t.as_secs_f64() * 1e3
        );
    }
}
