//! The const() SyntaxErrors (spec §2.2, §2.4) and `__debug__` assignments. In: every
//! `fixtures/const/errors/*.py`. Out: each fails to compile with exactly the error in its
//! `.err` file, as `diag::render` prints it (file, line, column, source line, caret, message).

use frost_tests::compile_error_mismatches;

use frost_compiler::{Options, compile};

#[test]
fn every_const_error_fixture_fails_with_its_message_and_line() {
    let (count, failures) = compile_error_mismatches("const/errors");
    assert!(count >= 40, "fixtures missing: {count}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn valid_const_definitions_compile() {
    // The counterpart of the error fixtures: every accepted kind of argument compiles.
    let ok = [
        "A = const(1)\nB = const((A, 2.5, 'x', b'y', None, ..., True, False, ()))\n",
        "C = const((1, 2))\nD = const(('a,b', (3,)))\nE = const(( 1 ))\nF = const(\n    -1 << 70  # a, b\n)\n",
        "G: int = const(2 ** -1)\n_H = const(G * 2)\nI = const(_H if 0 else 1) if 0 else 1\n",
        "J = const(\"x\" \"y\")\nK = const(not 0)\nL = const(1 and 'z')\n",
    ];
    for source in ok {
        if let Err(e) = compile(source, &Options::default()) {
            panic!("{source}: {e:?}");
        }
    }
}
