//! KeyboardInterrupt from the port's input path and from another thread (spec §4.6, §4.7).
//! In: programs run with bytes in `CapturePort`'s input queue, or a `SchedulerHandle` used
//! from a second thread. Out: assertions that the interrupt character raises the preallocated
//! KeyboardInterrupt at the next check point, before scheduled callbacks, and that
//! `kbd_intr` changes or disables the character.

use std::thread;
use std::time::Duration;

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, RunError, Vm};

struct Run {
    stdout: String,
    stderr: String,
    result: Result<(), RunError>,
    interrupted: bool,
}

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

fn run_with_input(source: &str, input: &[u8]) -> Run {
    let mut port = CapturePort::default();
    port.input.extend(input);
    let mut vm = Vm::new(port, Config::HOST);
    let result = vm.run_main(image(source));
    let interrupted = vm.interrupted();
    let port = vm.into_port();
    Run {
        stdout: String::from_utf8(port.stdout).unwrap(),
        stderr: String::from_utf8(port.stderr).unwrap(),
        result,
        interrupted,
    }
}

#[test]
fn ctrl_c_in_the_input_raises_keyboard_interrupt() {
    let source = "import time\nprint('start')\nwhile True:\n    time.sleep_ms(1)\n";
    let r = run_with_input(source, b"ab\x03");
    assert_eq!(r.stdout, "start\n");
    assert_eq!(r.result, Err(RunError::Exception));
    assert!(r.interrupted);
    assert_eq!(
        r.stderr,
        "Traceback (most recent call last):\n  File \"prog.py\", line 4, in <module>\nKeyboardInterrupt: \n"
    );
}

#[test]
fn kbd_intr_minus_one_disables_and_another_char_enables() {
    let source = "import micropython, time\nmicropython.kbd_intr(-1)\n\
                  for i in range(2):\n    time.sleep(0)\nprint('not interrupted')\n\
                  micropython.kbd_intr(ord('x'))\n\
                  try:\n    while True:\n        time.sleep(0)\nexcept KeyboardInterrupt as e:\n    print('caught', repr(e))\n";
    let mut port = CapturePort {
        input_chunk: 1,
        ..CapturePort::default()
    };
    port.input.extend(b"\x03");
    let mut vm = Vm::new(port, Config::HOST);
    let handle = vm.scheduler_handle();
    // One byte per poll: the two sleeps with -1 take the Ctrl-C and `a`; `x` then interrupts.
    vm.port_mut().input.extend(b"abx");
    let result = vm.run_main(image(source));
    assert_eq!(handle.interrupt_char(), i32::from(b'x'));
    let port = vm.into_port();
    assert_eq!(String::from_utf8(port.stderr).unwrap(), "");
    assert_eq!(result, Ok(()));
    assert_eq!(
        String::from_utf8(port.stdout).unwrap(),
        "not interrupted\ncaught KeyboardInterrupt()\n"
    );
}

#[test]
fn keyboard_interrupt_comes_before_scheduled_callbacks() {
    // A bare `except:` has no branch before its body, so no check point runs `show` first.
    let source = "import micropython, time\n\ndef show(x):\n    print('show', x)\n\n\
                  micropython.schedule(show, 1)\n\
                  try:\n    time.sleep(0)\nexcept:\n    print('caught')\n\
                  for i in range(2):\n    print('loop', i)\n";
    let r = run_with_input(source, b"\x03");
    assert_eq!((r.stderr.as_str(), &r.result), ("", &Ok(())));
    assert_eq!(r.stdout, "caught\nshow 1\nloop 0\nloop 1\n");
}

#[test]
fn raising_keyboard_interrupt_allocates_nothing() {
    let source = "import micropython, time\nmicropython.heap_lock()\n\
                  try:\n    time.sleep(0)\nexcept KeyboardInterrupt:\n    n = micropython.heap_unlock()\n    print('caught', n)\n";
    let r = run_with_input(source, b"\x03");
    assert_eq!((r.stderr.as_str(), &r.result), ("", &Ok(())));
    assert_eq!(r.stdout, "caught 0\n");
}

#[test]
fn another_thread_interrupts_a_busy_loop() {
    let mut vm = Vm::new(CapturePort::default(), Config::HOST);
    let handle = vm.scheduler_handle();
    let interrupter = thread::spawn(move || {
        thread::sleep(Duration::from_millis(50));
        let first = handle.keyboard_interrupt();
        (first, handle)
    });
    let result = vm.run_main(image("n = 0\nwhile True:\n    n += 1\n"));
    let (first, handle) = interrupter.join().unwrap();
    assert!(first, "no KeyboardInterrupt was pending before");
    assert_eq!(result, Err(RunError::Exception));
    assert!(vm.interrupted());
    let stderr = String::from_utf8(vm.into_port().stderr).unwrap();
    assert!(stderr.ends_with("KeyboardInterrupt: \n"), "{stderr}");
    // Taken by the check point: a new one is again "the first".
    assert!(handle.keyboard_interrupt());
    assert!(!handle.keyboard_interrupt());
}

#[test]
fn the_input_byte_api_drops_only_the_interrupt_character() {
    let vm = Vm::new(CapturePort::default(), Config::HOST);
    let handle = vm.scheduler_handle();
    assert_eq!(handle.interrupt_char(), 3);
    assert!(!handle.input_byte(b'a'));
    assert!(handle.input_byte(3));
}
