//! `micropython.mem_info`, `qstr_info` and the memory figures (spec §4.1–§4.3), driven by
//! compiled programs. In: Python source run on a VM with a known budget. Out: assertions on
//! the printed lines (matched by a small pattern matcher: `#` stands for a decimal number),
//! on the verbose block map, and on how the figures move when the program allocates. Also
//! prints the RAM cost of a few objects (run with `--nocapture` to read them).

use frost_runtime::image::ImageBytes;
use frost_runtime::{CapturePort, Config, Vm};

fn run(source: &str, config: Config) -> String {
    let options = frost_compiler::Options {
        source_name: "prog.py".into(),
        ..Default::default()
    };
    let image = frost_compiler::compile(source, &options).unwrap().image;
    let mut vm = Vm::new(CapturePort::default(), config);
    let result = vm.run_main(ImageBytes::Shared(image.into()));
    let port = vm.into_port();
    let stderr = String::from_utf8(port.stderr).unwrap();
    assert_eq!(result, Ok(()), "{stderr}");
    assert_eq!(stderr, "");
    String::from_utf8(port.stdout).unwrap()
}

/// Matches `line` against `pattern`, where `#` matches one or more digits; returns the
/// numbers in order, or None when the line does not match.
fn numbers(pattern: &str, line: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut rest = line;
    let mut parts = pattern.split('#').peekable();
    while let Some(lit) = parts.next() {
        rest = rest.strip_prefix(lit)?;
        if parts.peek().is_none() {
            break;
        }
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        out.push(rest[..end].parse().ok()?);
        rest = &rest[end..];
    }
    rest.is_empty().then_some(out)
}

/// The figures of one non-verbose `mem_info()` print.
#[derive(Debug, Clone, Copy)]
struct MemInfo {
    total: usize,
    current: usize,
    peak: usize,
    stack_used: usize,
    stack_limit: usize,
    gc_total: usize,
    used: usize,
    free: usize,
    one: usize,
    two: usize,
    max_blk: usize,
    max_free: usize,
}

fn parse(lines: &[&str]) -> MemInfo {
    let mem = numbers("mem: total=#, current=#, peak=#", lines[0]).expect(lines[0]);
    let stack = numbers("stack: # out of #", lines[1]).expect(lines[1]);
    let gc = numbers("GC: total: #, used: #, free: #", lines[2]).expect(lines[2]);
    let blocks = numbers(
        " No. of 1-blocks: #, 2-blocks: #, max blk sz: #, max free sz: #",
        lines[3],
    )
    .expect(lines[3]);
    MemInfo {
        total: mem[0],
        current: mem[1],
        peak: mem[2],
        stack_used: stack[0],
        stack_limit: stack[1],
        gc_total: gc[0],
        used: gc[1],
        free: gc[2],
        one: blocks[0],
        two: blocks[1],
        max_blk: blocks[2],
        max_free: blocks[3],
    }
}

fn device(heap_size: usize) -> Config {
    Config {
        heap_size,
        ..Config::DEVICE
    }
}

#[test]
fn pattern_matcher_rejects_what_differs() {
    assert_eq!(numbers("a=#, b=#", "a=1, b=23"), Some(vec![1, 23]));
    assert_eq!(numbers("a=#, b=#", "a=1, b="), None);
    assert_eq!(numbers("a=#", "a=1x"), None);
    assert_eq!(numbers("a=#", "b=1"), None);
}

#[test]
fn mem_info_figures_move_when_the_program_allocates() {
    let source = "import micropython
big = None
micropython.mem_info()
big = [0] * 1000
micropython.mem_info()
";
    let out = run(source, device(64 * 1024));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 8, "{out}");
    let (a, b) = (parse(&lines[..4]), parse(&lines[4..]));
    for m in [a, b] {
        assert_eq!(m.gc_total, 64 * 1024);
        assert_eq!(m.used + m.free, m.gc_total, "{m:?}");
        assert_eq!(m.current, m.used);
        assert!(m.current <= m.peak && m.peak <= m.total, "{m:?}");
        assert!(m.stack_used > 0 && m.stack_used < m.stack_limit, "{m:?}");
        assert_eq!(m.max_free, m.free / 16, "the model's free run is the tail");
        assert!(m.one + m.two > 0);
    }
    // 1000 values of 8 bytes, at least.
    assert!(b.used >= a.used + 8000, "{a:?} {b:?}");
    assert!(b.total >= a.total + 8000);
    assert!(b.peak >= a.peak + 8000);
    assert!(b.max_blk >= 8000 / 16);
    assert_eq!(b.free, a.free - (b.used - a.used));
}

#[test]
fn verbose_mem_info_draws_one_character_per_block() {
    let source = "import micropython
l = [1, 2, 3]
d = {'a': 1}
t = (l, d)
micropython.mem_info(0)
";
    let out = run(source, device(64 * 1024));
    let lines: Vec<&str> = out.lines().collect();
    let m = parse(&lines[..4]);
    assert_eq!(lines[4], "GC memory layout; from 0:");
    let mut blocks = String::new();
    let mut collapsed = 0;
    let mut expect_offset = 0;
    for line in &lines[5..] {
        if let Some(n) = numbers("       (# lines all free)", line) {
            collapsed += n[0] * 64;
            expect_offset += n[0] * 64 * 16;
            continue;
        }
        let (offset, cells) = line.split_once(": ").expect(line);
        assert_eq!(usize::from_str_radix(offset, 16).unwrap(), expect_offset);
        assert_eq!(offset.len(), 8);
        assert!(cells.len() <= 64 && !cells.is_empty(), "{line}");
        assert!(cells.chars().all(|c| ".=mTLDSAFBMh".contains(c)), "{line}");
        expect_offset += cells.len() * 16;
        blocks.push_str(cells);
    }
    assert_eq!(blocks.len() + collapsed, 64 * 1024 / 16);
    assert!(collapsed > 0, "the free tail collapses");
    let used_blocks = blocks.chars().filter(|&c| c != '.').count();
    assert_eq!(used_blocks * 16, m.used);
    // Objects are runs: a head character, then `=`; a 1-block object is a head not followed by `=`.
    let cells: Vec<char> = blocks.chars().collect();
    let heads: Vec<usize> = (0..cells.len())
        .filter(|&i| !matches!(cells[i], '.' | '='))
        .collect();
    let size = |i: usize| 1 + cells[i + 1..].iter().take_while(|&&c| c == '=').count();
    assert_eq!(heads.iter().filter(|&&i| size(i) == 1).count(), m.one);
    assert_eq!(heads.iter().filter(|&&i| size(i) == 2).count(), m.two);
    assert_eq!(heads.iter().map(|&i| size(i)).max(), Some(m.max_blk));
    for kind in ['L', 'D', 'T', 'S', 'M'] {
        assert!(blocks.contains(kind), "no {kind} in {blocks}");
    }
}

#[test]
fn qstr_info_counts_the_strings_interned_at_run_time() {
    let source = "import micropython
micropython.qstr_info()
micropython.qstr_info(True)
";
    let out = run(source, Config::HOST);
    let lines: Vec<&str> = out.lines().collect();
    let pattern = "qstr pool: n_pool=#, n_qstr=#, n_str_data_bytes=#, n_total_bytes=#";
    let first = numbers(pattern, lines[0]).expect(lines[0]);
    let second = numbers(pattern, lines[1]).expect(lines[1]);
    assert_eq!(first, second, "printing interns nothing");
    let names: Vec<&str> = lines[2..]
        .iter()
        .map(|l| {
            l.strip_prefix("Q(")
                .and_then(|l| l.strip_suffix(')'))
                .expect(l)
        })
        .collect();
    assert_eq!(names.len(), first[1]);
    assert_eq!(
        names.iter().map(|n| n.len() + 1).sum::<usize>(),
        first[2],
        "data bytes are len + 1 each"
    );
    // Pools of 10, 20, 40 ... strings: just enough of them.
    let capacity: usize = (0..first[0]).map(|i| 10 << i).sum();
    assert!(capacity >= first[1] && capacity - (10 << (first[0] - 1)) < first[1]);
    assert!(first[3] > first[2]);
    // The names of this program are run-time strings; builtins are the static set.
    assert!(names.contains(&"qstr_info"));
    assert!(!names.contains(&"print"));
}

/// Bytes `expr` costs, measured by `mem_current()` around it (globals exist beforehand, so
/// storing them grows nothing).
fn cost(setup: &str, expr: &str) -> usize {
    let source = format!(
        "import micropython
{setup}
x = None
a = micropython.mem_current()
x = {expr}
b = micropython.mem_current()
print(b - a)
"
    );
    run(&source, Config::HOST).trim().parse().unwrap()
}

#[test]
fn ram_cost_of_common_objects() {
    let empty_list = cost("", "[]");
    let list10 = cost("", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
    let small_dict = cost("", "{'a': 1, 'b': 2}");
    let instance = cost(
        "class P:\n    def __init__(self):\n        self.v = 1",
        "P()",
    );
    println!("bytes charged: empty list {empty_list}, 10-element list {list10}, ");
    println!("  small dict (2 items) {small_dict}, instance with one attribute {instance}");
    assert!(empty_list >= 16 && empty_list.is_multiple_of(16));
    assert!(list10 >= empty_list + 80 && list10.is_multiple_of(16));
    assert!(small_dict >= 32 && small_dict.is_multiple_of(16));
    assert!(instance >= 16 && instance.is_multiple_of(16));
}

#[test]
fn block_map_collapses_two_or_more_free_lines_only() {
    use frost_runtime::heap::layout::{counts, draw};
    // 3 lines of 64 blocks; objects of 1, 2 and 3 blocks, packed in order.
    let objects = [(b'L', 16), (b'T', 32), (b'S', 48)];
    let total = 3 * 64 * 16;
    let mut out = String::new();
    draw(objects.iter().copied(), total, &mut out);
    let first = format!("\n00000000: LT=S=={}", ".".repeat(58));
    assert_eq!(out, format!("{first}\n       (2 lines all free)\n"));
    // With only one free line after the first, nothing collapses.
    let mut out = String::new();
    draw(objects.iter().copied(), 2 * 64 * 16, &mut out);
    assert_eq!(out, format!("{first}\n00000400: {}\n", ".".repeat(64)));
    // A partial last line is drawn as far as the budget goes.
    let mut out = String::new();
    draw(objects.iter().copied(), 70 * 16, &mut out);
    assert_eq!(out, format!("{first}\n00000400: ......\n"));
    let c = counts(objects.iter().map(|o| o.1), total);
    assert_eq!((c.one, c.two, c.max_blk, c.max_free), (1, 1, 3, 3 * 64 - 6));
}

#[test]
fn every_builtin_module_member_calls_the_function_of_its_name() {
    use frost_runtime::modules::{builtin_module, native_name};
    for module in ["micropython", "time", "select", "sys"] {
        let members: Vec<_> = builtin_module(module).unwrap().members().collect();
        for (name, v) in &members {
            // Types and constants aside, every member is the native function of its name.
            let Some(id) = v.as_native() else {
                assert!(v.as_type_id().is_some() || v.as_int().is_some(), "{name}");
                continue;
            };
            assert_eq!(native_name(id), *name, "{module}.{name}");
        }
    }
    let members: Vec<_> = builtin_module("micropython").unwrap().members().collect();
    for name in [
        "mem_info",
        "qstr_info",
        "stack_use",
        "alloc_emergency_exception_buf",
        "RingIO",
    ] {
        assert!(members.iter().any(|(n, _)| n == &name), "{name}");
    }
}

#[test]
fn introspection_works_with_the_heap_locked() {
    let source = "import micropython
micropython.heap_lock()
micropython.mem_info()
micropython.mem_info(False)
micropython.qstr_info(1)
print(micropython.mem_total() == micropython.mem_total(), micropython.stack_use() > 0)
micropython.heap_unlock()
";
    let out = run(source, device(16 * 1024));
    let lines: Vec<&str> = out.lines().collect();
    let m = parse(&lines[..4]);
    assert_eq!(m.used + m.free, 16 * 1024);
    // The verbose print repeats the same figures: printing allocated nothing.
    assert_eq!(parse(&lines[4..8]).used, m.used);
    assert_eq!(lines[8], "GC memory layout; from 0:");
    assert!(lines.iter().any(|l| l.starts_with("qstr pool: n_pool=")));
    assert_eq!(lines.last(), Some(&"True True"));
}

/// The map characters of a verbose `mem_info` print, the collapsed free lines left out.
fn block_chars(out: &str) -> String {
    out.lines()
        .skip_while(|l| !l.starts_with("GC memory layout"))
        .skip(1)
        .filter_map(|l| l.split_once(": ").map(|(_, cells)| cells.to_string()))
        .collect()
}

#[test]
fn a_bytearray_is_drawn_as_a_and_charged_its_capacity() {
    let without = run(
        "import micropython\nb = b'x' * 100\nmicropython.mem_info(1)\n",
        device(64 * 1024),
    );
    assert!(!block_chars(&without).contains('A'), "{without}");
    let with = run(
        "import micropython\nb = bytearray(100)\nmicropython.mem_info(1)\n",
        device(64 * 1024),
    );
    // 16 header bytes + 100 bytes of cells, rounded up to 16-byte blocks: 8 blocks.
    let blocks = block_chars(&with);
    assert_eq!(blocks.matches('A').count(), 1, "{with}");
    let tail = &blocks[blocks.find('A').unwrap() + 1..];
    assert_eq!(tail.chars().take_while(|&c| c == '=').count(), 7, "{with}");
    let made = cost("", "bytearray(100)");
    // `a` and `b` exist before the measurement so that storing them grows no dict.
    let grown = cost(
        "ba = bytearray(100)\nbs = bytes(100)\na = b = 0",
        "ba.extend(bs)",
    );
    println!("bytes charged: bytearray(100) {made}, growing it by 100 {grown}");
    assert_eq!(made, 128);
    // Growth to 200 bytes of capacity is charged before the storage grows: 224 - 128.
    assert_eq!(grown, 96);
}
