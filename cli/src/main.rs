//! The `frost` command. In: command-line arguments. Out: images, disassembly, program output.
fn main() {}
