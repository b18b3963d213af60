//! The heap, GC and VM core, driven by hand-assembled images (see `asm`). In: assembly
//! programs. Out: assertions on their output, tracebacks and heap behaviour: locking,
//! exhaustion and recovery, recursion limits, collection.

mod asm;

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, RunError, Vm};

struct Run {
    stdout: String,
    stderr: String,
    result: Result<(), RunError>,
}

fn run_with(src: &str, config: Config) -> Run {
    let image = asm::assemble(src, "prog.py");
    let mut vm = Vm::new(CapturePort::default(), config);
    let result = vm.run_main(ImageBytes::Shared(image.into()));
    let port = vm.into_port();
    Run {
        stdout: String::from_utf8(port.stdout).unwrap(),
        stderr: String::from_utf8(port.stderr).unwrap(),
        result,
    }
}

fn run(src: &str) -> Run {
    run_with(src, Config::HOST)
}

#[test]
fn calls_arithmetic_print_and_traceback() {
    let r = run("
code <module>
  LOAD_CONST 2
  MAKE_FUNCTION f 1
  STORE_NAME f
  MAKE_FUNCTION g 0
  STORE_NAME g
.line 3
  LOAD_NAME print
  LOAD_NAME f
  LOAD_SMALL_INT 3
  CALL 1
  LOAD_NAME f
  LOAD_SMALL_INT 1
  LOAD_SMALL_INT 5
  CALL_KW 1 b
  CALL 2
  POP_TOP
.line 4
  LOAD_NAME g
  CALL 0
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code f params=a,b
.line 2
  LOAD_FAST a
  LOAD_FAST b
  BINARY_OP *
  LOAD_SMALL_INT 1
  BINARY_OP +
  RETURN_VALUE
code g
.line 7
  LOAD_SMALL_INT 1
  LOAD_SMALL_INT 0
  BINARY_OP //
  RETURN_VALUE
");
    assert_eq!(r.stdout, "7 6\n");
    assert_eq!(
        r.stderr,
        "Traceback (most recent call last):\n  File \"prog.py\", line 4, in <module>\n  File \"prog.py\", line 7, in g\nZeroDivisionError: integer division or modulo by zero\n"
    );
    assert_eq!(r.result, Err(RunError::Exception));
}
