//! Generators and the heap, driven by compiled programs. In: Python source and a `Config`.
//! Out: assertions that a suspended generator's frame is traced by the collector, that
//! resuming allocates nothing (heap locked), that dead generators are reclaimed, and that
//! native resumption nests only to the re-entry bound.

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Vm};

fn run(source: &str, config: Config) -> (String, String) {
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        ..Default::default()
    };
    let image = frost_compiler::compile(source, &options).unwrap().image;
    let mut vm = Vm::new(CapturePort::default(), config);
    let _ = vm.run_main(ImageBytes::Shared(image.into()));
    let port = vm.into_port();
    (
        String::from_utf8(port.stdout).unwrap(),
        String::from_utf8(port.stderr).unwrap(),
    )
}

fn small(heap_size: usize) -> Config {
    Config {
        heap_size,
        ..Config::DEVICE
    }
}

#[test]
fn a_suspended_frame_survives_collections() {
    // [7] waits on the saved operand stack, `kept` in the saved locals, while the program
    // churns through far more than the heap holds.
    let source = "def k():
    kept = ['local']
    yield [[7], (yield 0), kept]
it = k()
next(it)
for i in range(3000):
    t = [i]
print(it.send('s'))
";
    assert_eq!(
        run(source, small(16 * 1024)),
        ("[[7], 's', ['local']]\n".into(), String::new())
    );
}

#[test]
fn resuming_generators_allocates_nothing() {
    let source = "import micropython
def g(n):
    for i in range(n):
        x = yield i
def outer(inner):
    yield from inner
    return 5
a = g(4)
b = g(3)
c = outer(g(3))
t = x = depth = 0
next(b)
micropython.heap_lock()
for x in a:
    t = t + x
t = t + next(b) + b.send(7)
for x in c:
    t = t + x
depth = micropython.heap_locked()
micropython.heap_unlock()
print(t, depth)
";
    assert_eq!(run(source, Config::HOST), ("12 1\n".into(), String::new()));
}

#[test]
fn dead_generators_are_reclaimed() {
    let source = "def g(n):
    buf = [n] * 8
    yield buf
    yield n
total = 0
for i in range(5000):
    it = g(i)
    total += next(it)[0]
print(total)
";
    assert_eq!(
        run(source, small(16 * 1024)),
        ("12497500\n".into(), String::new())
    );
}

#[test]
fn native_resumption_nests_only_to_the_reentry_bound() {
    // Each level resumes the next through next() (native code): a Rust-stack re-entry.
    let source = "def nest(n):
    if n == 0:
        yield 'bottom'
    else:
        yield next(nest(n - 1))
print(next(nest(10)))
try:
    next(nest(1000))
except RuntimeError as e:
    print(e)
";
    assert_eq!(
        run(source, Config::HOST),
        (
            "bottom\nmaximum recursion depth exceeded\n".into(),
            String::new()
        )
    );
}

#[test]
fn items_taken_from_a_generator_survive_its_allocations() {
    // list() and zip() hold the items already produced while the generator allocates more.
    let source = "def fresh(n):
    for i in range(n):
        junk = [[j] for j in range(20)]
        yield [i, i]
def check(items):
    return all(x == [i, i] for i, x in enumerate(items))
print(check(list(fresh(300))), len(list(fresh(300))))
pairs = [a[0] + b[0] for a, b in zip(fresh(200), fresh(200))]
print(pairs == [2 * i for i in range(200)])
print(sum(x[0] for x in fresh(200)), sorted(fresh(3), reverse=True))
";
    assert_eq!(
        run(source, small(24 * 1024)),
        (
            "True 300\nTrue\n19900 [[2, 2], [1, 1], [0, 0]]\n".into(),
            String::new()
        )
    );
}
