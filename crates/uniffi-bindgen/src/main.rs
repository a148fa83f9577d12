//! The uniffi bindgen CLI, pinned to the workspace's uniffi version so generated bindings always
//! match the `beside_ffi` library: `uniffi-bindgen generate --library libbeside_ffi.so ...`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
