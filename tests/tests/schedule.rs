//! `micropython.schedule` and the Rust-side `SchedulerHandle`. In: programs run on a VM with
//! a capturing port, and a second thread scheduling registered callbacks. Out: assertions on
//! order, on callbacks' exceptions (printed and discarded), on GC safety of queued values and
//! on the queue limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use frost_runtime::image::ImageBytes;
use frost_runtime::scheduler::QueueFull;
use frost_runtime::{CapturePort, Config, RunError, Value, Vm};

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

fn finish(
    vm: Vm<CapturePort>,
    result: Result<(), RunError>,
) -> (String, String, Result<(), RunError>) {
    let port = vm.into_port();
    (
        String::from_utf8(port.stdout).unwrap(),
        String::from_utf8(port.stderr).unwrap(),
        result,
    )
}

fn run(source: &str, config: Config) -> (String, String, Result<(), RunError>) {
    let mut vm = Vm::new(CapturePort::default(), config);
    let result = vm.run_main(image(source));
    finish(vm, result)
}

#[test]
fn a_second_thread_schedules_while_the_vm_loops() {
    const N: usize = 2000;
    let mut vm = Vm::new(CapturePort::default(), Config::HOST);
    let id = vm
        .register_global_callback("tick", Value::int(1).unwrap())
        .unwrap();
    let handle = vm.scheduler_handle();
    let done = Arc::new(AtomicBool::new(false));
    let producer = {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let mut full = 0usize;
            for _ in 0..N {
                while handle.schedule(id) == Err(QueueFull) {
                    full += 1;
                    thread::yield_now();
                }
            }
            done.store(true, Ordering::Release);
            full
        })
    };
    let source = "count = 0\n\ndef tick(n):\n    global count\n    count += n\n\n\
                  while count < 2000:\n    pass\nprint(count)\n";
    let result = vm.run_main(image(source));
    let full = producer.join().unwrap();
    assert!(done.load(Ordering::Acquire));
    let (stdout, stderr, result) = finish(vm, result);
    assert_eq!(
        (stdout.as_str(), stderr.as_str(), result),
        ("2000\n", "", Ok(()))
    );
    // Not an assertion on timing: only reported, so a slow machine cannot fail the test.
    println!("producer found the queue full {full} times");
}

#[test]
fn the_handle_queue_holds_schedule_depth_callbacks() {
    let config = Config {
        schedule_depth: 3,
        ..Config::HOST
    };
    let mut vm = Vm::new(CapturePort::default(), config);
    let id = vm
        .register_global_callback("show", Value::int(7).unwrap())
        .unwrap();
    let handle = vm.scheduler_handle();
    for _ in 0..3 {
        assert_eq!(handle.schedule(id), Ok(()));
    }
    assert_eq!(handle.schedule(id), Err(QueueFull));
    let source = "import micropython\n\ndef show(x):\n    print('show', x)\n\n\
                  try:\n    micropython.schedule(show, 0)\nexcept RuntimeError as e:\n    print(e)\n\
                  for i in range(2):\n    print('loop', i)\n";
    let result = vm.run_main(image(source));
    let (stdout, stderr, result) = finish(vm, result);
    assert_eq!(stderr, "");
    assert_eq!(result, Ok(()));
    // One callback per check point: the handler's branch, leaving it, the loop's first test.
    assert_eq!(
        stdout,
        "show 7\nschedule queue full\nshow 7\nshow 7\nloop 0\nloop 1\n"
    );
}

#[test]
fn a_callback_exception_is_printed_and_discarded() {
    let source = "import micropython\n\ndef bad(x):\n    raise ValueError(x)\n\n\
                  micropython.schedule(bad, 5)\nmicropython.schedule(None, 1)\n\
                  for i in range(3):\n    print(i)\nprint('end')\n";
    let (stdout, stderr, result) = run(source, Config::HOST);
    assert_eq!(result, Ok(()));
    assert_eq!(stdout, "0\n1\n2\nend\n");
    assert!(
        stderr.starts_with(
            "Traceback (most recent call last):\n  File \"prog.py\", line 4, in bad\nValueError: 5\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("TypeError: "), "{stderr}");
    assert_eq!(stderr.matches("Traceback").count(), 2);
}

#[test]
fn an_unknown_registered_global_is_a_printed_name_error() {
    let mut vm = Vm::new(CapturePort::default(), Config::HOST);
    let id = vm.register_global_callback("missing", Value::NONE).unwrap();
    vm.scheduler_handle().schedule(id).unwrap();
    let result = vm.run_main(image("for i in range(2):\n    print(i)\n"));
    let (stdout, stderr, result) = finish(vm, result);
    assert_eq!(result, Ok(()));
    assert_eq!(stdout, "0\n1\n");
    assert!(
        stderr.ends_with("NameError: name 'missing' isn't defined\n"),
        "{stderr}"
    );
}

#[test]
fn queued_values_survive_collections() {
    // The function and its list argument are reachable only from the queue while the
    // straight-line allocations below (no check point) force several collections.
    let source = "import micropython\n\ndef cb(x):\n    print('cb', x[0], len(x))\n\n\
                  micropython.schedule(cb, [41, 42, 43])\ndel cb\n\
                  b = bytes(20000)\nb = bytes(20000)\nb = bytes(20000)\nb = bytes(20000)\n\
                  b = bytes(20000)\nb = bytes(20000)\nb = None\n\
                  for i in range(1):\n    print('loop')\n";
    let config = Config {
        heap_size: 48 * 1024,
        ..Config::DEVICE
    };
    let (stdout, stderr, result) = run(source, config);
    assert_eq!((stderr.as_str(), result), ("", Ok(())));
    assert_eq!(stdout, "cb 41 3\nloop\n");
}
