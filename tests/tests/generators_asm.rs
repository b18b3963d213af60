//! Generators and coroutines in the VM, through hand-assembled images (the text assembler in
//! `asm/`), so they are tested before the compiler emits generator code. In: assembly of a
//! module and its generator functions. Out: stdout/stderr of running them, compared with what
//! CPython prints for the equivalent Python (given beside each program).

mod asm;

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Vm};
use std::rc::Rc;

fn run(src: &str) -> (String, String) {
    run_with(src, Config::HOST)
}

fn run_with(src: &str, config: Config) -> (String, String) {
    let image = asm::assemble(src, "gen.py");
    let mut vm = Vm::new(CapturePort::default(), config);
    if let Err(frost_runtime::RunError::Load(e)) = vm.run_main(ImageBytes::Shared(Rc::from(image)))
    {
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
    format!(
        "code <module>\n  MAKE_FUNCTION g 0\n  STORE_NAME g\n{module_body}  LOAD_NONE\n  RETURN_VALUE\n{G}{rest}"
    )
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

/// `def h(): try: yield 1 except ValueError: yield 'caught'`, with the handler's exception
/// state held across the second yield.
const H: &str = "
code h flags=gen
.line 20
try_start:
  LOAD_SMALL_INT 1
  YIELD_VALUE
  POP_TOP
try_end:
  LOAD_NONE
  RETURN_VALUE
handler:
  PUSH_EXC_INFO
  LOAD_GLOBAL ValueError
  CHECK_EXC_MATCH
  POP_JUMP_IF_FALSE reraise
  POP_TOP
  LOAD_CONST 'caught'
  YIELD_VALUE
  POP_TOP
  POP_EXCEPT
  LOAD_NONE
  RETURN_VALUE
reraise:
  RERAISE
.try try_start try_end handler 0
";

#[test]
fn throw_is_raised_at_the_yield_and_close_finishes() {
    // it = h(); print(next(it)); print(it.throw(ValueError)); print(next(it, 'end'))
    // it = h(); next(it); it.close(); print('closed'); print(next(it, 'after close'))
    // it = h(); next(it); it.throw(KeyError('k'))   -> uncaught, traceback through h
    let src = "code <module>
  MAKE_FUNCTION h 0
  STORE_NAME h
  LOAD_NAME h
  CALL 0
  STORE_NAME it
  LOAD_NAME print
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  CALL 1
  POP_TOP
  LOAD_NAME print
  LOAD_NAME it
  LOAD_METHOD throw
  LOAD_NAME ValueError
  CALL_METHOD 1
  CALL 1
  POP_TOP
  LOAD_NAME print
  LOAD_NAME next
  LOAD_NAME it
  LOAD_CONST 'end'
  CALL 2
  CALL 1
  POP_TOP
  LOAD_NAME h
  CALL 0
  STORE_NAME it
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  POP_TOP
  LOAD_NAME it
  LOAD_METHOD close
  CALL_METHOD 0
  POP_TOP
  LOAD_NAME print
  LOAD_CONST 'closed'
  CALL 1
  POP_TOP
  LOAD_NAME print
  LOAD_NAME next
  LOAD_NAME it
  LOAD_CONST 'after close'
  CALL 2
  CALL 1
  POP_TOP
  LOAD_NAME h
  CALL 0
  STORE_NAME it
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  POP_TOP
.line 9
  LOAD_NAME it
  LOAD_METHOD throw
  LOAD_NAME KeyError
  LOAD_CONST 'k'
  CALL 1
  CALL_METHOD 1
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
"
    .to_string()
        + H;
    let (out, err) = run(&src);
    assert_eq!(out, "1\ncaught\nend\nclosed\nafter close\n", "{err}");
    assert_eq!(
        err,
        "Traceback (most recent call last):\n  File \"gen.py\", line 9, in <module>\n  File \"gen.py\", line 20, in h\nKeyError: 'k'\n"
    );
}

#[test]
fn stop_iteration_inside_a_generator_becomes_runtime_error() {
    // def s(): raise StopIteration; yield
    // print(list(s()))
    let src = "code <module>
  MAKE_FUNCTION s 0
  STORE_NAME s
  LOAD_NAME print
  LOAD_NAME list
  LOAD_NAME s
  CALL 0
  CALL 1
  CALL 1
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code s flags=gen
  LOAD_GLOBAL StopIteration
  RAISE 1
  LOAD_NONE
  YIELD_VALUE
  RETURN_VALUE
";
    let (out, err) = run(src);
    assert_eq!(out, "");
    assert!(
        err.ends_with("RuntimeError: generator raised StopIteration\n"),
        "{err}"
    );
}

#[test]
fn await_drives_coroutines_and_refuses_generators() {
    // async def inner(): return 5
    // async def outer(): x = await inner(); print(x); return x + 1
    // c = outer(); c.send(None)  -> StopIteration: 6
    let src = "code <module>
  MAKE_FUNCTION inner 0
  STORE_NAME inner
  MAKE_FUNCTION outer 0
  STORE_NAME outer
  LOAD_NAME outer
  CALL 0
  LOAD_METHOD send
  LOAD_NONE
  CALL_METHOD 1
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code inner flags=coro
  LOAD_SMALL_INT 5
  RETURN_VALUE
code outer locals=x flags=coro
  LOAD_GLOBAL inner
  CALL 0
  GET_AWAITABLE
  LOAD_NONE
  YIELD_FROM
  STORE_FAST x
  LOAD_GLOBAL print
  LOAD_FAST x
  CALL 1
  POP_TOP
  LOAD_FAST x
  LOAD_SMALL_INT 1
  BINARY_OP +
  RETURN_VALUE
";
    let (out, err) = run(src);
    assert_eq!(out, "5\n");
    assert!(err.ends_with("StopIteration: 6\n"), "{err}");
    // async def bad(): await g(1)
    let src = "code <module>
  MAKE_FUNCTION g 0
  STORE_NAME g
  MAKE_FUNCTION bad 0
  STORE_NAME bad
  LOAD_NAME bad
  CALL 0
  LOAD_METHOD send
  LOAD_NONE
  CALL_METHOD 1
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code bad flags=coro
  LOAD_GLOBAL g
  LOAD_SMALL_INT 1
  CALL 1
  GET_AWAITABLE
  LOAD_NONE
  YIELD_FROM
  RETURN_VALUE
"
    .to_string()
        + G;
    let (_, err) = run(&src);
    assert!(
        err.ends_with("TypeError: object generator can't be used in 'await' expression\n"),
        "{err}"
    );
}

#[test]
fn a_suspended_frame_survives_collections() {
    // def k(): yield [[7], (yield 0)]   -- [7] waits on the saved operand stack
    // it = k(); next(it); for i in range(3000): t = [i]
    // print(it.send('s'))
    let src = "code <module>
  MAKE_FUNCTION k 0
  STORE_NAME k
  LOAD_NAME k
  CALL 0
  STORE_NAME it
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  POP_TOP
  LOAD_SMALL_INT 0
  LOAD_SMALL_INT 3000
  GET_RANGE 2
loop:
  FOR_RANGE end
  BUILD_LIST 1
  STORE_NAME t
  JUMP loop
end:
  LOAD_NAME print
  LOAD_NAME it
  LOAD_METHOD send
  LOAD_CONST 's'
  CALL_METHOD 1
  CALL 1
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code k flags=gen
  LOAD_SMALL_INT 7
  BUILD_LIST 1
  LOAD_SMALL_INT 0
  YIELD_VALUE
  BUILD_LIST 2
  YIELD_VALUE
  RETURN_VALUE
";
    let config = Config {
        heap_size: 16 * 1024,
        ..Config::DEVICE
    };
    assert_eq!(
        run_with(src, config),
        ("[[7], 's']\n".into(), String::new())
    );
}

#[test]
fn throw_and_close_reach_the_delegate_of_yield_from() {
    // def outer(): r = yield from h(); yield ('r', r)
    // it = outer(); print(next(it)); print(it.throw(ValueError)); print(next(it))
    // print(next(it, 'end'))
    // it = outer(); next(it); it.close(); print(next(it, 'closed'))
    let src = "code <module>
  MAKE_FUNCTION h 0
  STORE_NAME h
  MAKE_FUNCTION outer 0
  STORE_NAME outer
  LOAD_NAME outer
  CALL 0
  STORE_NAME it
  LOAD_NAME print
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  CALL 1
  POP_TOP
  LOAD_NAME print
  LOAD_NAME it
  LOAD_METHOD throw
  LOAD_NAME ValueError
  CALL_METHOD 1
  CALL 1
  POP_TOP
  LOAD_NAME print
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  CALL 1
  POP_TOP
  LOAD_NAME print
  LOAD_NAME next
  LOAD_NAME it
  LOAD_CONST 'end'
  CALL 2
  CALL 1
  POP_TOP
  LOAD_NAME outer
  CALL 0
  STORE_NAME it
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  POP_TOP
  LOAD_NAME it
  LOAD_METHOD close
  CALL_METHOD 0
  POP_TOP
  LOAD_NAME print
  LOAD_NAME next
  LOAD_NAME it
  LOAD_CONST 'closed'
  CALL 2
  CALL 1
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code outer locals=r flags=gen
  LOAD_GLOBAL h
  CALL 0
  GET_YIELD_FROM_ITER
  LOAD_NONE
  YIELD_FROM
  STORE_FAST r
  LOAD_CONST 'r'
  LOAD_FAST r
  BUILD_TUPLE 2
  YIELD_VALUE
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
"
    .to_string()
        + H;
    let (out, err) = run(&src);
    assert_eq!(out, "1\ncaught\n('r', None)\nend\nclosed\n", "{err}");
    assert_eq!(err, "");
}

#[test]
fn misuse_of_a_generator_raises() {
    // it = g(1); it.send(1)  -> TypeError; then a generator resuming itself -> ValueError
    let src = "code <module>
  MAKE_FUNCTION g 0
  STORE_NAME g
  LOAD_NAME g
  LOAD_SMALL_INT 1
  CALL 1
  LOAD_METHOD send
  LOAD_SMALL_INT 1
  CALL_METHOD 1
  RETURN_VALUE
"
    .to_string()
        + G;
    let (_, err) = run(&src);
    assert!(
        err.ends_with("TypeError: can't send non-None value to a just-started generator\n"),
        "{err}"
    );
    // def me(): yield next(it)   it = me(); next(it)
    let src = "code <module>
  MAKE_FUNCTION me 0
  STORE_NAME me
  LOAD_NAME me
  CALL 0
  STORE_NAME it
  LOAD_NAME next
  LOAD_NAME it
  CALL 1
  RETURN_VALUE
code me flags=gen
  LOAD_GLOBAL next
  LOAD_GLOBAL it
  CALL 1
  YIELD_VALUE
  RETURN_VALUE
";
    let (_, err) = run(src);
    assert!(
        err.ends_with("ValueError: generator already executing\n"),
        "{err}"
    );
}

/// `class Cm:` with `__enter__` (prints, returns 'res') and `__exit__` (prints its arguments,
/// returns `suppress`, a global).
const CM: &str = "
code Cm flags=class
  MAKE_FUNCTION enter 0
  STORE_NAME __enter__
  MAKE_FUNCTION exit 0
  STORE_NAME __exit__
  LOAD_NONE
  RETURN_VALUE
code enter params=self
  LOAD_GLOBAL print
  LOAD_CONST 'enter'
  CALL 1
  POP_TOP
  LOAD_CONST 'res'
  RETURN_VALUE
code exit params=self,t,v,tb
  LOAD_GLOBAL print
  LOAD_CONST 'exit'
  LOAD_FAST t
  LOAD_FAST v
  CALL 3
  POP_TOP
  LOAD_GLOBAL suppress
  RETURN_VALUE
";

/// `with Cm() as x: print(x); raise ValueError('boom')` then `print('after')`.
const WITH_BODY: &str = "  LOAD_BUILD_CLASS
  MAKE_FUNCTION Cm 0
  LOAD_CONST 'Cm'
  CALL 2
  STORE_NAME Cm
  LOAD_NAME Cm
  CALL 0
  BEFORE_WITH
  STORE_NAME x
try_start:
  LOAD_NAME print
  LOAD_NAME x
  CALL 1
  POP_TOP
.line 5
  LOAD_NAME ValueError
  LOAD_CONST 'boom'
  CALL 1
  RAISE 1
try_end:
  LOAD_NONE
  LOAD_NONE
  LOAD_NONE
  CALL 3
  POP_TOP
  JUMP after
handler:
  PUSH_EXC_INFO
  WITH_EXCEPT_START
  POP_JUMP_IF_TRUE suppress
  ROT_TWO
  POP_EXCEPT
  RERAISE
suppress:
  POP_TOP
  POP_EXCEPT
  POP_TOP
after:
  LOAD_NAME print
  LOAD_CONST 'after'
  CALL 1
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
.try try_start try_end handler 1
";

#[test]
fn with_calls_enter_and_exit_and_suppresses_when_exit_is_true() {
    let src = format!("code <module>\n  LOAD_TRUE\n  STORE_NAME suppress\n{WITH_BODY}{CM}");
    let (out, err) = run(&src);
    assert_eq!(
        out, "enter\nres\nexit <class 'ValueError'> boom\nafter\n",
        "{err}"
    );
    let src = format!("code <module>\n  LOAD_FALSE\n  STORE_NAME suppress\n{WITH_BODY}{CM}");
    let (out, err) = run(&src);
    assert_eq!(out, "enter\nres\nexit <class 'ValueError'> boom\n");
    assert!(err.ends_with("ValueError: boom\n"), "{err:?}");
    // with 1: pass
    let src = "code <module>
  LOAD_SMALL_INT 1
  BEFORE_WITH
  RETURN_VALUE
";
    let (_, err) = run(src);
    assert!(
        err.ends_with("TypeError: 'int' object does not support the context manager protocol\n"),
        "{err:?}"
    );
}

#[test]
fn a_round_robin_event_loop_runs_coroutine_tasks() {
    // class Yield:
    //     def __await__(self): yield 'tick'
    // async def task(name, n):
    //     for i in range(n): print(name, i); await Yield()
    //     return name
    // tasks = [task('a', 2), task('b', 3)]
    // while tasks:
    //     t = tasks.pop(0)
    //     try: t.send(None); tasks.append(t)
    //     except StopIteration as e: print('done', e.value)
    let src = "code <module>
  LOAD_BUILD_CLASS
  MAKE_FUNCTION Yield 0
  LOAD_CONST 'Yield'
  CALL 2
  STORE_NAME Yield
  MAKE_FUNCTION task 0
  STORE_NAME task
  LOAD_NAME task
  LOAD_CONST 'a'
  LOAD_SMALL_INT 2
  CALL 2
  LOAD_NAME task
  LOAD_CONST 'b'
  LOAD_SMALL_INT 3
  CALL 2
  BUILD_LIST 2
  STORE_NAME tasks
top:
  LOAD_NAME tasks
  POP_JUMP_IF_FALSE done
  LOAD_NAME tasks
  LOAD_METHOD pop
  LOAD_SMALL_INT 0
  CALL_METHOD 1
  STORE_NAME t
try_start:
  LOAD_NAME t
  LOAD_METHOD send
  LOAD_NONE
  CALL_METHOD 1
  POP_TOP
  LOAD_NAME tasks
  LOAD_METHOD append
  LOAD_NAME t
  CALL_METHOD 1
  POP_TOP
try_end:
  JUMP top
handler:
  PUSH_EXC_INFO
  LOAD_NAME StopIteration
  CHECK_EXC_MATCH
  POP_JUMP_IF_FALSE reraise
  STORE_NAME e
  LOAD_NAME print
  LOAD_CONST 'done'
  LOAD_NAME e
  LOAD_ATTR value
  CALL 2
  POP_TOP
  POP_EXCEPT
  JUMP top
reraise:
  ROT_TWO
  POP_EXCEPT
  RERAISE
done:
  LOAD_NONE
  RETURN_VALUE
.try try_start try_end handler 0
code Yield flags=class
  MAKE_FUNCTION aw 0
  STORE_NAME __await__
  LOAD_NONE
  RETURN_VALUE
code aw params=self flags=gen
  LOAD_CONST 'tick'
  YIELD_VALUE
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
code task params=name,n locals=i flags=coro
  LOAD_SMALL_INT 0
  LOAD_FAST n
  GET_RANGE 2
loop:
  FOR_RANGE end
  STORE_FAST i
  LOAD_GLOBAL print
  LOAD_FAST name
  LOAD_FAST i
  CALL 2
  POP_TOP
  LOAD_GLOBAL Yield
  CALL 0
  GET_AWAITABLE
  LOAD_NONE
  YIELD_FROM
  POP_TOP
  JUMP loop
end:
  LOAD_FAST name
  RETURN_VALUE
";
    let (out, err) = run(src);
    assert_eq!(out, "a 0\nb 0\na 1\nb 1\ndone a\nb 2\ndone b\n", "{err}");
}

#[test]
fn async_with_and_async_for_over_python_classes() {
    // class Ticker:
    //     def __init__(self, n): self.i = 0; self.n = n
    //     def __aiter__(self): return self
    //     async def __anext__(self):
    //         if self.i >= self.n: raise StopAsyncIteration
    //         self.i += 1; return self.i
    // class Res:
    //     async def __aenter__(self): print('aenter'); return 'r'
    //     async def __aexit__(self, t, v, tb): print('aexit', t); return False
    // async def main():
    //     async with Res() as r:
    //         print(r)
    //         async for x in Ticker(3): print('x', x)
    // try: main().send(None)
    // except StopIteration: print('finished')
    let src = "code <module>
  LOAD_BUILD_CLASS
  MAKE_FUNCTION Ticker 0
  LOAD_CONST 'Ticker'
  CALL 2
  STORE_NAME Ticker
  LOAD_BUILD_CLASS
  MAKE_FUNCTION Res 0
  LOAD_CONST 'Res'
  CALL 2
  STORE_NAME Res
  MAKE_FUNCTION main 0
  STORE_NAME main
try_start:
  LOAD_NAME main
  CALL 0
  LOAD_METHOD send
  LOAD_NONE
  CALL_METHOD 1
  POP_TOP
try_end:
  LOAD_NONE
  RETURN_VALUE
handler:
  PUSH_EXC_INFO
  LOAD_NAME StopIteration
  CHECK_EXC_MATCH
  POP_JUMP_IF_FALSE reraise
  POP_TOP
  LOAD_NAME print
  LOAD_CONST 'finished'
  CALL 1
  POP_TOP
  POP_EXCEPT
  LOAD_NONE
  RETURN_VALUE
reraise:
  ROT_TWO
  POP_EXCEPT
  RERAISE
.try try_start try_end handler 0
code Ticker flags=class
  MAKE_FUNCTION init 0
  STORE_NAME __init__
  MAKE_FUNCTION aiter 0
  STORE_NAME __aiter__
  MAKE_FUNCTION anext 0
  STORE_NAME __anext__
  LOAD_NONE
  RETURN_VALUE
code init params=self,n
  LOAD_SMALL_INT 0
  LOAD_FAST self
  STORE_ATTR i
  LOAD_FAST n
  LOAD_FAST self
  STORE_ATTR n
  LOAD_NONE
  RETURN_VALUE
code aiter params=self
  LOAD_FAST self
  RETURN_VALUE
code anext params=self flags=coro
  LOAD_FAST self
  LOAD_ATTR i
  LOAD_FAST self
  LOAD_ATTR n
  COMPARE_OP >=
  POP_JUMP_IF_FALSE more
  LOAD_GLOBAL StopAsyncIteration
  RAISE 1
more:
  LOAD_FAST self
  LOAD_ATTR i
  LOAD_SMALL_INT 1
  BINARY_OP +
  LOAD_FAST self
  STORE_ATTR i
  LOAD_FAST self
  LOAD_ATTR i
  RETURN_VALUE
code Res flags=class
  MAKE_FUNCTION aenter 0
  STORE_NAME __aenter__
  MAKE_FUNCTION aexit 0
  STORE_NAME __aexit__
  LOAD_NONE
  RETURN_VALUE
code aenter params=self flags=coro
  LOAD_GLOBAL print
  LOAD_CONST 'aenter'
  CALL 1
  POP_TOP
  LOAD_CONST 'r'
  RETURN_VALUE
code aexit params=self,t,v,tb flags=coro
  LOAD_GLOBAL print
  LOAD_CONST 'aexit'
  LOAD_FAST t
  CALL 2
  POP_TOP
  LOAD_FALSE
  RETURN_VALUE
code main locals=r,x flags=coro
  LOAD_GLOBAL Res
  CALL 0
  BEFORE_ASYNC_WITH
  LOAD_NONE
  YIELD_FROM
  STORE_FAST r
  LOAD_GLOBAL print
  LOAD_FAST r
  CALL 1
  POP_TOP
  LOAD_GLOBAL Ticker
  LOAD_SMALL_INT 3
  CALL 1
  GET_AITER
loop:
  GET_ANEXT
anext:
  LOAD_NONE
  YIELD_FROM
anext_end:
  STORE_FAST x
  LOAD_GLOBAL print
  LOAD_CONST 'x'
  LOAD_FAST x
  CALL 2
  POP_TOP
  JUMP loop
endfor:
  END_ASYNC_FOR
  LOAD_NONE
  LOAD_NONE
  LOAD_NONE
  CALL 3
  GET_AWAITABLE
  LOAD_NONE
  YIELD_FROM
  POP_TOP
  LOAD_NONE
  RETURN_VALUE
.try anext anext_end endfor 2
";
    let (out, err) = run(src);
    assert_eq!(
        out, "aenter\nr\nx 1\nx 2\nx 3\naexit None\nfinished\n",
        "{err}"
    );
}
