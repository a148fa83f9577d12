// swift-tools-version:5.9
// Swift bindings of the uniffi FFI crate (namespace beside_ffi).
//
// The Sources/ folders are NOT kept in the repo: bindings/swift/test.sh generates them from the
// built library into a staged copy of this package (inside the Swift chroot) and runs `swift test`:
//   Sources/beside_ffiFFI/  beside_ffiFFI.h (generated) + module.modulemap (written by test.sh,
//                           with `link "beside_ffi"`): the C side, a .systemLibrary target
//   Sources/Beside/         beside_ffi.swift (generated): the Swift API, module `Beside`
// Linking needs the directory of libbeside_ffi.so: `swift test -Xlinker -L<dir> -Xlinker -rpath -Xlinker <dir>`.
// Tools version 5.9 keeps the Swift 5 language mode (the generated code is not Swift 6 strict-concurrency clean).
import PackageDescription

let package = Package(
    name: "Beside",
    products: [
        .library(name: "Beside", targets: ["Beside"]),
    ],
    targets: [
        // Name must equal the module in module.modulemap, which the generated Swift code imports
        // as `<namespace>FFI` (`#if canImport(beside_ffiFFI)`).
        .systemLibrary(name: "beside_ffiFFI", path: "Sources/beside_ffiFFI"),
        .target(name: "Beside", dependencies: ["beside_ffiFFI"], path: "Sources/Beside"),
        .testTarget(name: "BesideTests", dependencies: ["Beside"], path: "Tests/BesideTests"),
    ]
)
