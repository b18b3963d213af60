//! COPY and SWAP, which the compiler does not emit yet, run from hand-assembled images. In:
//! module bodies built with `frost_tests::images`. Out: assertions on what they print.

use frost_runtime::image::{ImageBytes, Opcode};
use frost_runtime::{CapturePort, Config, Vm};
use frost_tests::images::{Asm, bytes, module_with, op, op1};

/// Runs a module body that leaves a tuple of `n` items for `print`; gives stdout.
fn print_tuple(body: &[Asm], n: u32) -> String {
    use Opcode::*;
    let mut items = vec![op1(LOAD_NAME, 1)];
    items.extend_from_slice(body);
    items.extend([
        op1(BUILD_TUPLE, n),
        op1(CALL, 1),
        op(POP_TOP),
        op(LOAD_NONE),
        op(RETURN_VALUE),
    ]);
    let image = bytes(&module_with(&items, 8));
    let mut vm = Vm::new(CapturePort::default(), Config::HOST);
    vm.run_main(ImageBytes::Shared(image.into())).unwrap();
    String::from_utf8(vm.into_port().stdout).unwrap()
}

fn int(i: i64) -> Asm {
    Asm::I(Opcode::LOAD_SMALL_INT, frost_runtime::image::Args::Int(i))
}

#[test]
fn copy_pushes_the_nth_item_and_swap_exchanges_the_top_with_it() {
    use Opcode::*;
    assert_eq!(
        print_tuple(&[int(1), int(2), int(3), op1(COPY, 1)], 4),
        "(1, 2, 3, 3)\n"
    );
    assert_eq!(
        print_tuple(&[int(1), int(2), int(3), op1(COPY, 3)], 4),
        "(1, 2, 3, 1)\n"
    );
    assert_eq!(
        print_tuple(&[int(1), int(2), int(3), op1(SWAP, 2)], 3),
        "(1, 3, 2)\n"
    );
    assert_eq!(
        print_tuple(&[int(1), int(2), int(3), op1(SWAP, 3)], 3),
        "(3, 2, 1)\n"
    );
}
