//! Calls bind without allocating (DESIGN.md decisions 8-9). In: programs that call Python
//! functions and methods with every argument kind while the heap is locked. Out: assertions
//! that they run to completion (any allocation would raise MemoryError), and that the kinds
//! that must allocate (`*args` tuples, `**kwargs` dicts) fail cleanly instead.

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Vm};

/// Compiles and runs `source`; gives (stdout, stderr).
fn run(source: &str) -> (String, String) {
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        ..Default::default()
    };
    let image = frost_compiler::compile(source, &options).unwrap().image;
    let mut vm = Vm::new(CapturePort::default(), Config::HOST);
    let _ = vm.run_main(ImageBytes::Shared(image.into()));
    let port = vm.into_port();
    (
        String::from_utf8(port.stdout).unwrap(),
        String::from_utf8(port.stderr).unwrap(),
    )
}

#[test]
fn positional_keyword_default_and_keyword_only_arguments_bind_with_the_heap_locked() {
    let source = "import micropython
def f(a, b, c=3, *, k, m=5):
    return a + b * 10 + c * 100 + k * 1000 + m * 10000
class Acc:
    def __init__(self):
        self.n = 0
    def add(self, x, scale=1, *, bias=0):
        return x * scale + bias
def make(base):
    def inner(x, y=1):
        return base + x * y
    return inner
acc = Acc()
inner = make(7)
total = 0
micropython.heap_lock()
for i in range(3):
    total = total + f(1, 2, k=4)
    total = total + f(b=2, a=1, c=0, k=0, m=0)
    total = total + f(1, 2, 3, m=1, k=1)
    total = total + acc.add(i) + acc.add(i, 2) + acc.add(x=i, bias=1)
    total = total + inner(i) + inner(y=2, x=i)
depth = micropython.heap_locked()
micropython.heap_unlock()
print(total, depth)
";
    let per_round = |i: i64| {
        (1 + 20 + 300 + 4000 + 50000)
            + (1 + 20)
            + (1 + 20 + 300 + 1000 + 10000)
            + (i + 2 * i + (i + 1))
            + ((7 + i) + (7 + 2 * i))
    };
    let expected: i64 = (0..3).map(per_round).sum();
    assert_eq!(run(source), (format!("{expected} 1\n"), String::new()));
}

#[test]
fn star_args_with_the_heap_locked_raise_memory_error_not_a_crash() {
    let source = "import micropython
def f(*args):
    return len(args)
def g(**kw):
    return len(kw)
print(f(), f(1, 2))
micropython.heap_lock()
try:
    f(1, 2)
except MemoryError as e:
    print('args', e)
try:
    g(a=1)
except MemoryError as e:
    print('kwargs', e)
print(f())
micropython.heap_unlock()
print(f(1), g(a=1, b=2))
";
    let (out, err) = run(source);
    assert_eq!(err, "");
    assert_eq!(
        out,
        "0 2\nargs memory allocation failed, heap is locked\n\
         kwargs memory allocation failed, heap is locked\n0\n1 2\n"
    );
}
