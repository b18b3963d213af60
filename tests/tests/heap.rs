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
  BUILD_TUPLE 1
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

/// `micropython.<name>()` with its result on the stack.
fn mp(name: &str) -> String {
    format!("  LOAD_NAME micropython\n  LOAD_METHOD {name}\n  CALL_METHOD 0\n")
}

/// `print(<top of stack>)`, consuming it.
const PRINT_TOP: &str = "  LOAD_NAME print\n  ROT_TWO\n  CALL 1\n  POP_TOP\n";

const IMPORT_MP: &str = "  LOAD_NONE\n  IMPORT_NAME micropython 0\n  STORE_NAME micropython\n";

#[test]
fn heap_lock_nests_and_unlock_stops_at_zero() {
    let mut src = format!("code <module>\n{IMPORT_MP}");
    src += &format!(
        "{}  POP_TOP\n{}  POP_TOP\n",
        mp("heap_lock"),
        mp("heap_lock")
    );
    for call in [
        "heap_locked",
        "heap_unlock",
        "heap_unlock",
        "heap_unlock",
        "heap_locked",
    ] {
        src += &mp(call);
        src += PRINT_TOP;
    }
    src += "  LOAD_NONE\n  RETURN_VALUE\n";
    let r = run(&src);
    assert_eq!(r.stdout, "2\n1\n0\n0\n0\n");
    assert_eq!(r.result, Ok(()));
}

#[test]
fn list_growth_while_locked_raises_memory_error_and_recovers() {
    let src = format!(
        "code <module>
{IMPORT_MP}
  BUILD_LIST 0
  STORE_NAME l
  LOAD_NONE
  STORE_NAME e
{lock}  POP_TOP
start:
  LOAD_NAME l
  LOAD_METHOD append
  LOAD_SMALL_INT 1
  CALL_METHOD 1
  POP_TOP
end:
  JUMP after
handler:
  PUSH_EXC_INFO
  LOAD_NAME MemoryError
  CHECK_EXC_MATCH
  POP_JUMP_IF_FALSE reraise
  STORE_NAME e
{unlock}  POP_TOP
  LOAD_NAME print
  LOAD_CONST 'caught'
  LOAD_NAME e
  CALL 2
  POP_TOP
  POP_EXCEPT
  JUMP after
reraise:
  RERAISE
after:
  LOAD_NAME l
  LOAD_METHOD append
  LOAD_SMALL_INT 2
  CALL_METHOD 1
  POP_TOP
  LOAD_NAME l
{PRINT_TOP}{locked}{PRINT_TOP}  LOAD_NONE
  RETURN_VALUE
.try start end handler 0
",
        lock = mp("heap_lock"),
        unlock = mp("heap_unlock"),
        locked = mp("heap_locked"),
    );
    let r = run(&src);
    assert_eq!(r.stderr, "");
    assert_eq!(
        r.stdout,
        "caught memory allocation failed, heap is locked\n[2]\n0\n"
    );
}

#[test]
fn calls_loops_constants_and_arithmetic_run_with_the_heap_locked() {
    let src = format!(
        "code <module>
{IMPORT_MP}
  LOAD_SMALL_INT 10
  LOAD_SMALL_INT 100
  BUILD_TUPLE 2
  MAKE_FUNCTION add 1
  STORE_NAME add
  LOAD_SMALL_INT 0
  STORE_NAME t
  LOAD_SMALL_INT 0
  STORE_NAME i
  LOAD_SMALL_INT 0
  STORE_NAME x
{lock}  POP_TOP
  LOAD_SMALL_INT 5
  GET_RANGE 1
loop1:
  FOR_RANGE done1
  STORE_NAME i
  LOAD_NAME t
  LOAD_NAME add
  LOAD_NAME i
  LOAD_SMALL_INT 1
  CALL_KW 1 c
  BINARY_OP +
  STORE_NAME t
  JUMP loop1
done1:
  LOAD_CONST (1, 2, 3)
  GET_ITER
loop2:
  FOR_ITER done2
  STORE_NAME x
  LOAD_NAME t
  LOAD_NAME x
  INPLACE_OP +
  STORE_NAME t
  JUMP loop2
done2:
{locked}{PRINT_TOP}{unlock}  POP_TOP
  LOAD_NAME t
{PRINT_TOP}  LOAD_NONE
  RETURN_VALUE
code add params=a,b,c
  LOAD_FAST a
  LOAD_FAST b
  BINARY_OP +
  LOAD_FAST c
  BINARY_OP +
  RETURN_VALUE
",
        lock = mp("heap_lock"),
        unlock = mp("heap_unlock"),
        locked = mp("heap_locked"),
    );
    let r = run(&src);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, "1\n71\n");
}

#[test]
fn filling_the_heap_raises_memory_error_then_recovers_after_del() {
    let src = format!(
        "code <module>
  BUILD_LIST 0
  STORE_NAME l
start:
  LOAD_NAME l
  LOAD_METHOD append
  LOAD_SMALL_INT 1
  LOAD_SMALL_INT 2
  LOAD_SMALL_INT 3
  LOAD_SMALL_INT 4
  BUILD_LIST 4
  CALL_METHOD 1
  POP_TOP
  JUMP start
end:
handler:
  PUSH_EXC_INFO
  LOAD_NAME MemoryError
  CHECK_EXC_MATCH
  POP_JUMP_IF_FALSE reraise
  POP_TOP
  LOAD_CONST 'full'
{PRINT_TOP}  POP_EXCEPT
  JUMP after
reraise:
  RERAISE
after:
  DELETE_NAME l
  LOAD_SMALL_INT 0
  BUILD_LIST 1
  LOAD_SMALL_INT 100
  BINARY_OP *
  STORE_NAME x
  LOAD_NAME len
  LOAD_NAME x
  CALL 1
{PRINT_TOP}  LOAD_NONE
  RETURN_VALUE
.try start end handler 0
"
    );
    let config = Config {
        heap_size: 8192,
        ..Config::DEVICE
    };
    let r = run_with(&src, config);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, "full\n100\n");
}

fn recursion_program(locked: bool) -> String {
    let (lock, unlock) = if locked {
        (
            format!("{}  POP_TOP\n", mp("heap_lock")),
            format!("{}  POP_TOP\n", mp("heap_unlock")),
        )
    } else {
        (String::new(), String::new())
    };
    format!(
        "code <module>
{IMPORT_MP}
  MAKE_FUNCTION f 0
  STORE_NAME f
  LOAD_NONE
  STORE_NAME e
{lock}
start:
  LOAD_NAME f
  LOAD_SMALL_INT 0
  CALL 1
  POP_TOP
end:
  JUMP after
handler:
  PUSH_EXC_INFO
  LOAD_NAME RuntimeError
  CHECK_EXC_MATCH
  POP_JUMP_IF_FALSE reraise
  STORE_NAME e
{unlock}  LOAD_NAME e
{PRINT_TOP}  POP_EXCEPT
  JUMP after
reraise:
  RERAISE
after:
  LOAD_NONE
  RETURN_VALUE
.try start end handler 0
code f params=n
  LOAD_GLOBAL f
  LOAD_FAST n
  LOAD_SMALL_INT 1
  BINARY_OP +
  CALL 1
  RETURN_VALUE
"
    )
}

#[test]
fn deep_recursion_raises_runtime_error() {
    for locked in [false, true] {
        let r = run_with(&recursion_program(locked), Config::DEVICE);
        assert_eq!(r.stderr, "", "locked={locked}");
        assert_eq!(
            r.stdout, "maximum recursion depth exceeded\n",
            "locked={locked}"
        );
    }
}

#[test]
fn collection_reclaims_garbage() {
    let src = format!(
        "code <module>
  LOAD_SMALL_INT 20000
  GET_RANGE 1
loop:
  FOR_RANGE done
  STORE_NAME i
  LOAD_NAME i
  LOAD_NAME i
  LOAD_NAME i
  BUILD_LIST 3
  STORE_NAME x
  JUMP loop
done:
  LOAD_NAME x
{PRINT_TOP}  LOAD_NONE
  RETURN_VALUE
"
    );
    let config = Config {
        heap_size: 16 * 1024,
        ..Config::DEVICE
    };
    let r = run_with(&src, config);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, "[19999, 19999, 19999]\n");
}

#[test]
fn uncaught_recursion_prints_a_traceback() {
    let src = "code <module>
  MAKE_FUNCTION f 0
  STORE_NAME f
.line 2
  LOAD_NAME f
  CALL 0
  RETURN_VALUE
code f
.line 5
  LOAD_GLOBAL f
  CALL 0
  RETURN_VALUE
";
    let config = Config {
        max_frames: 5,
        ..Config::DEVICE
    };
    let r = run_with(src, config);
    assert_eq!(
        r.stderr,
        "Traceback (most recent call last):\n  File \"prog.py\", line 2, in <module>\n".to_string()
            + &"  File \"prog.py\", line 5, in f\n".repeat(4)
            + "RuntimeError: maximum recursion depth exceeded\n"
    );
}

#[test]
fn collection_keeps_live_data_through_a_churning_program() {
    let source = "d = {}
keep = []
for i in range(3000):
    d[i % 50] = [str(i), (i, i), {'k': i}]
    s = 'x' * (i % 100) + str(i)
    l = list(range(i % 30))
    if i % 500 == 0:
        keep.append(s)
    t = tuple(l) + (i,)
    if (i + 25) % 50 in d:
        del d[(i + 25) % 50]
print(len(d), d[49], len(s), t[-1], keep)
";
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        ..Default::default()
    };
    let image = frost_compiler::compile(source, &options).unwrap().image;
    let config = Config {
        heap_size: 16 * 1024,
        ..Config::DEVICE
    };
    let mut vm = Vm::new(CapturePort::default(), config);
    let result = vm.run_main(ImageBytes::Shared(image.into()));
    let stats = vm.heap_stats();
    let port = vm.into_port();
    assert_eq!(String::from_utf8(port.stderr).unwrap(), "");
    assert_eq!(result, Ok(()));
    // Output from CPython 3.11.
    assert_eq!(
        String::from_utf8(port.stdout).unwrap(),
        "25 ['2999', (2999, 2999), {'k': 2999}] 103 2999 ['0', '500', '1000', '1500', '2000', '2500']\n"
    );
    assert!(stats.peak <= 16 * 1024 && stats.used <= stats.peak);
}
