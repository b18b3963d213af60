//! Generators and coroutines in the VM, through hand-assembled images (the text assembler in
//! `asm/`), so they are tested before the compiler emits generator code. In: assembly of a
//! module and its generator functions. Out: stdout/stderr of running them, compared with what
//! CPython prints for the equivalent Python (given beside each program).

mod asm;

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Vm};
use std::rc::Rc;

fn run(src: &str) -> (String, String) {
    let image = asm::assemble(src, "gen.py");
    let mut vm = Vm::new(CapturePort::default(), Config::HOST);
    if let Err(frost_runtime::RunError::Load(e)) = vm.run_main(ImageBytes::Shared(Rc::from(image))) {
        panic!("load error: {e}");
    }
    let port = vm.into_port();
    (
        String::from_utf8_lossy(&port.stdout).into_owned(),
        String::from_utf8_lossy(&port.stderr).into_owned(),
    )
}

/// `def g(n): for i in range(n): yield i; return 'done'` (CODE_GENERATOR).
const G: &str = "
code g params=n locals=i flags=gen
  LOAD_SMALL_INT 0
  LOAD_FAST n
  GET_RANGE 2
loop:
  FOR_RANGE end
  STORE_FAST i
  LOAD_FAST i
  YIELD_VALUE
  POP_TOP
  JUMP loop
end:
  LOAD_CONST 'done'
  RETURN_VALUE
";

fn program(module_body: &str, rest: &str) -> String {
    format!("code <module>\n  MAKE_FUNCTION g 0\n  STORE_NAME g\n{module_body}  LOAD_NONE\n  RETURN_VALUE\n{G}{rest}")
}

#[test]
fn for_loop_and_list_consume_a_generator() {
    // for x in g(3): print(x)
    // print(list(g(4)))
    let src = program(
        "  LOAD_NAME g
  LOAD_SMALL_INT 3
  CALL 1
  GET_ITER
loop:
  FOR_ITER end
  STORE_NAME x
  LOAD_NAME print
  LOAD_NAME x
  CALL 1
  POP_TOP
  JUMP loop
end:
  LOAD_NAME print
  LOAD_NAME list
  LOAD_NAME g
  LOAD_SMALL_INT 4
  CALL 1
  CALL 1
  CALL 1
  POP_TOP
",
        "",
    );
    assert_eq!(run(&src), ("0\n1\n2\n[0, 1, 2, 3]\n".into(), String::new()));
}

#[test]
fn next_send_and_the_return_value() {
    // it = g(2); print(next(it)); print(it.send(7)); next(it) -> StopIteration('done')
    let src = program(
        "  LOAD_NAME g
  LOAD_SMALL_INT 2
  CALL 1
  STORE_NAME it
  LOAD_NAME print
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  CALL 1
  POP_TOP
  LOAD_NAME print
  LOAD_NAME it
  LOAD_METHOD send
  LOAD_SMALL_INT 7
  CALL_METHOD 1
  CALL 1
  POP_TOP
.line 9
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  POP_TOP
",
        "",
    );
    let (out, err) = run(&src);
    assert_eq!(out, "0\n1\n");
    assert!(err.ends_with("StopIteration: done\n"), "{err}");
}

#[test]
fn yield_from_delegates_and_gives_the_result() {
    // def outer(): r = yield from g(2); yield r
    // print(list(outer()))
    let src = "code <module>
  MAKE_FUNCTION g 0
  STORE_NAME g
  MAKE_FUNCTION outer 0
  STORE_NAME outer
  LOAD_NAME print
  LOAD_NAME list
  LOAD_NAME outer
  CALL 0
  CALL 1
  CALL 1
  POP_TOP
  LOAD_NAME outer
  CALL 0
  GET_ITER
loop:
  FOR_ITER end
  STORE_NAME x
  LOAD_NAME print
  LOAD_NAME x
  CALL 1
  POP_TOP
  JUMP loop
end:
  LOAD_NONE
  RETURN_VALUE
code outer locals=r flags=gen
  LOAD_GLOBAL g
  LOAD_SMALL_INT 2
  CALL 1
  GET_YIELD_FROM_ITER
  LOAD_NONE
  YIELD_FROM
  STORE_FAST r
  LOAD_FAST r
  YIELD_VALUE
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
"
    .to_string()
        + G;
    assert_eq!(
        run(&src),
        ("[0, 1, 'done']\n0\n1\ndone\n".into(), String::new())
    );
}
