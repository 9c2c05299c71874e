//! Bytes → text: encoding, BOM, binary detection, format by extension.
