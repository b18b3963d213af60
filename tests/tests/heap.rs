//! The heap, GC and the VM's resource limits, driven by compiled programs. In: Python source
//! and a `Config`. Out: assertions on output, tracebacks and heap behaviour: lock nesting,
//! growth refused while locked, exhaustion and recovery, recursion limits, collection.

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, RunError, Vm};

struct Run {
    stdout: String,
    stderr: String,
    result: Result<(), RunError>,
    peak: usize,
}

fn run_with(source: &str, config: Config) -> Run {
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        ..Default::default()
    };
    let image = frost_compiler::compile(source, &options).unwrap().image;
    let mut vm = Vm::new(CapturePort::default(), config);
    let result = vm.run_main(ImageBytes::Shared(image.into()));
    let peak = vm.heap_stats().peak;
    let port = vm.into_port();
    Run {
        stdout: String::from_utf8(port.stdout).unwrap(),
        stderr: String::from_utf8(port.stderr).unwrap(),
        result,
        peak,
    }
}

/// Runs `source` and asserts it printed `stdout` and nothing on stderr.
fn check(source: &str, config: Config, stdout: &str) -> Run {
    let r = run_with(source, config);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, stdout);
    assert_eq!(r.result, Ok(()));
    r
}

fn small(heap_size: usize) -> Config {
    Config {
        heap_size,
        ..Config::DEVICE
    }
}

#[test]
fn heap_lock_nests_and_unlock_stops_at_zero() {
    let source = "import micropython
micropython.heap_lock()
micropython.heap_lock()
print(micropython.heap_locked())
print(micropython.heap_unlock())
print(micropython.heap_unlock())
print(micropython.heap_unlock())
print(micropython.heap_locked())
";
    check(source, Config::HOST, "2\n1\n0\n0\n0\n");
}

#[test]
fn list_growth_while_locked_raises_memory_error_and_recovers() {
    let source = "import micropython
l = []
exc = None
micropython.heap_lock()
try:
    l.append(1)
except MemoryError as exc:
    micropython.heap_unlock()
    print('caught', exc)
l.append(2)
print(l, micropython.heap_locked())
";
    check(
        source,
        Config::HOST,
        "caught memory allocation failed, heap is locked\n[2] 0\n",
    );
}

#[test]
fn calls_loops_constants_and_arithmetic_run_with_the_heap_locked() {
    let source = "import micropython
def add(a, b=10, c=100):
    return a + b + c
def total(n):
    t = 0
    for i in range(n):
        t = t + add(i, c=1) + add(b=2, a=i)
    for x in (1, 2, 3):
        t += x * 2
    return t
result = depth = 0
micropython.heap_lock()
result = total(5)
depth = micropython.heap_locked()
micropython.heap_unlock()
print(result, depth)
";
    // sum(i + 11) + sum(i + 102) over 0..5, plus 12.
    check(source, Config::HOST, "597 1\n");
}

#[test]
fn filling_the_heap_raises_memory_error_then_recovers_after_del() {
    let source = "l = []
try:
    while True:
        l.append([1, 2, 3, 4])
except MemoryError as e:
    print(e)
del l
x = [0] * 100
print(len(x))
";
    let r = run_with(source, small(8192));
    assert_eq!(r.stderr, "");
    let (first, rest) = r.stdout.split_once('\n').unwrap();
    assert!(
        first.starts_with("memory allocation failed, allocating "),
        "{first}"
    );
    assert_eq!(rest, "100\n");
    assert!(r.peak <= 8192);
}

#[test]
fn deep_recursion_raises_runtime_error_with_and_without_the_lock() {
    let source = "import micropython
def f(n):
    return f(n + 1)
e = None
try:
    f(0)
except RuntimeError as e:
    print(e)
micropython.heap_lock()
try:
    f(0)
except RuntimeError as e:
    micropython.heap_unlock()
    print(e)
print(micropython.heap_locked())
";
    let expected = "maximum recursion depth exceeded\n".repeat(2) + "0\n";
    check(source, Config::DEVICE, &expected);
    check(source, Config::HOST, &expected);
}

#[test]
fn uncaught_recursion_prints_one_entry_per_frame() {
    let source = "def f():\n    return f()\n\n\nf()\n";
    let config = Config {
        max_frames: 5,
        ..Config::DEVICE
    };
    let r = run_with(source, config);
    assert_eq!(r.result, Err(RunError::Exception));
    assert_eq!(
        r.stderr,
        "Traceback (most recent call last):\n  File \"prog.py\", line 5, in <module>\n".to_string()
            + &"  File \"prog.py\", line 2, in f\n".repeat(4)
            + "RuntimeError: maximum recursion depth exceeded\n"
    );
}

#[test]
fn collection_reclaims_garbage() {
    let source = "for i in range(20000):
    x = [i, i, i]
print(x)
";
    // 20000 lists of 64 bytes each is 1.25 MB through a 16 KiB heap.
    let r = check(source, small(16 * 1024), "[19999, 19999, 19999]\n");
    assert!(r.peak <= 16 * 1024);
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
    // Output from CPython 3.11.
    let expected = "25 ['2999', (2999, 2999), {'k': 2999}] 103 2999 \
                    ['0', '500', '1000', '1500', '2000', '2500']\n";
    check(source, small(16 * 1024), expected);
}

#[test]
fn oversized_results_fail_before_their_storage_is_built() {
    let r = run_with("s = 'ab' * 1000000\n", Config::DEVICE);
    assert_eq!(r.result, Err(RunError::Exception));
    assert_eq!(
        r.stderr,
        "Traceback (most recent call last):\n  File \"prog.py\", line 1, in <module>\nMemoryError: memory allocation failed, allocating 2000016 bytes\n"
    );
}

#[test]
fn exceptions_still_raise_with_the_heap_locked() {
    let source = "import micropython
def f():
    raise ValueError('locked', 2)
micropython.heap_lock()
f()
";
    let r = run_with(source, Config::DEVICE);
    assert_eq!(r.result, Err(RunError::Exception));
    assert_eq!(
        r.stderr,
        "Traceback (most recent call last):\n  File \"prog.py\", line 5, in <module>\n  File \"prog.py\", line 3, in f\nValueError: ('locked', 2)\n"
    );
}

#[test]
fn key_functions_keep_fresh_items_alive_through_collections() {
    // d.items() makes fresh tuples that only the working list holds while each key call
    // allocates enough to force collections on a 16 KiB heap.
    let source = "def churn(pair):
    t = []
    for i in range(60):
        t.append(str(i) + 'x')
    return pair[1]
d = {}
for i in range(30):
    d[str(i)] = 30 - i
r = sorted(d.items(), key=churn)
print(r[0], r[-1], len(r), min(d.items(), key=churn))
";
    check(
        source,
        small(16 * 1024),
        "('29', 1) ('0', 30) 30 ('29', 1)\n",
    );
}

#[test]
fn native_to_python_reentry_is_bounded() {
    let source = "def deep(x):
    return sorted([x], key=deep)
try:
    sorted([1], key=deep)
except RuntimeError as e:
    print(e)
";
    check(source, Config::HOST, "maximum recursion depth exceeded\n");
}

/// A toy object for driving `Heap` directly: it refers to other handles.
struct Node(Vec<frost_runtime::Value>);

impl frost_runtime::heap::Trace for Node {
    fn trace(&self, visit: &mut dyn FnMut(frost_runtime::Value)) {
        self.0.iter().for_each(|v| visit(*v));
    }
}

#[test]
fn heap_charges_blocks_refuses_when_locked_or_full_and_frees_only_the_unreachable() {
    use frost_runtime::Value;
    use frost_runtime::heap::{Heap, HeapError, charge_for};
    assert_eq!(charge_for(0), 16);
    assert_eq!(charge_for(1), 32);
    assert_eq!(charge_for(16), 32);
    assert_eq!(charge_for(17), 48);
    assert_eq!(
        charge_for(usize::MAX),
        usize::MAX,
        "saturates instead of overflowing"
    );

    let mut heap: Heap<Node> = Heap::new(160);
    let leaf = heap.alloc(Node(vec![]), 0).unwrap();
    let root = heap.alloc(Node(vec![Value::heap(leaf)]), 8).unwrap();
    let garbage = heap.alloc(Node(vec![]), 40).unwrap();
    assert_eq!(heap.stats().used, 16 + 32 + 64);
    assert_eq!(heap.alloc(Node(vec![]), 40), Err(HeapError::Exhausted(64)));

    heap.lock();
    heap.lock();
    assert_eq!(heap.alloc(Node(vec![]), 0), Err(HeapError::Locked));
    assert_eq!(heap.resize(root, 100), Err(HeapError::Locked));
    assert_eq!(heap.unlock(), 1);
    let mut roots = vec![root];
    heap.collect(&mut roots);
    assert!(heap.get(garbage).is_some(), "a locked heap frees nothing");
    assert_eq!(heap.unlock(), 0);
    assert_eq!(heap.unlock(), 0);

    let mut roots = vec![root];
    heap.collect(&mut roots);
    assert!(heap.get(root).is_some() && heap.get(leaf).is_some());
    assert!(heap.get(garbage).is_none());
    let stats = heap.stats();
    assert_eq!((stats.used, stats.free, stats.peak), (48, 112, 112));
    assert!(heap.resize(root, 8 + 64).is_ok());
    assert_eq!(heap.stats().used, 16 + 96);
}

#[test]
fn constants_are_read_in_place_without_charging_the_heap() {
    // 10 KB of bytes and str constants run on an 8 KiB heap: they stay in the image.
    let lit = "ab".repeat(5000);
    let source = format!(
        "data = b'{lit}'\ntext = '{lit}'\nprint(len(data), data[0], data[-1], len(text), text[-1])\n"
    );
    let r = check(&source, small(8192), "10000 97 98 10000 b\n");
    assert!(r.peak < 4096, "peak {}", r.peak);
}

#[test]
fn deep_nesting_raises_instead_of_overflowing_the_rust_stack() {
    let source = "t = ()
a = []
b = []
z = [1]
e = ValueError('x')
for i in range(20000):
    t = (t,)
    a = [a]
    b = [b]
    z = zip(z)
    e = ValueError(e)
for f in (hash, list):
    try:
        f(t if f is hash else z)
    except RuntimeError as err:
        print(err)
try:
    a < b
except RuntimeError as err:
    print(err)
print(len(repr(a)) > 0, len(str(e)) > 0)
";
    let expected = "maximum recursion depth exceeded\n".repeat(3) + "True True\n";
    check(source, Config::HOST, &expected);
}
