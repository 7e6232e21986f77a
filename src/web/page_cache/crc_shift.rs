//! Joining CRC-32s when the second part's length is known in advance.
//!
//! A gzip page's trailer needs the CRC of `before ‖ token ‖ after`, where
//! only the token changes per response. `crc32fast::Hasher::combine` joins
//! two CRCs in about 2,000 instructions (it squares a 32 × 32 bit matrix
//! per bit of the length), which callgrind put at a nineteenth of a gzip
//! letter page's instructions. But joining `after` to a CRC `x` is
//! `L(x) ^ crc(after)`, with `L` linear in `x` over GF(2) (zlib's
//! `crc32_combine` multiplies `x` by x^(8·len) modulo the CRC polynomial).
//! So `L` is kept as four tables of 256 values, one per byte of `x`,
//! computed once per page from `L`'s values on the 32 single bits, and a
//! response pays four lookups.

/// `L` for one length: the CRC of `a ‖ b` from the CRC of `a`, given `b`'s
/// length, before `b`'s own CRC is added in.
#[derive(Clone)]
pub struct CrcShift {
    tables: Box<[[u32; 256]; 4]>,
}

impl CrcShift {
    /// The shift past `len` bytes.
    pub fn over(len: u64) -> CrcShift {
        let basis: [u32; 32] = std::array::from_fn(|bit| by_combine(1 << bit, len));
        let mut tables = Box::new([[0u32; 256]; 4]);
        for (byte, table) in tables.iter_mut().enumerate() {
            for value in 1..256usize {
                // A value's image is its lowest bit's image joined to the
                // rest's, which is already in the table.
                let lowest = value & value.wrapping_neg();
                table[value] = table[value ^ lowest] ^ basis[8 * byte + lowest.trailing_zeros() as usize];
            }
        }
        CrcShift { tables }
    }

    /// `L(crc)`.
    pub fn apply(&self, crc: u32) -> u32 {
        let [b0, b1, b2, b3] = crc.to_le_bytes();
        self.tables[0][usize::from(b0)]
            ^ self.tables[1][usize::from(b1)]
            ^ self.tables[2][usize::from(b2)]
            ^ self.tables[3][usize::from(b3)]
    }

    /// The CRC of `a ‖ b`, from the CRC of `a` and that of `b`, when `b`
    /// has the length this shift was made for.
    pub fn join(&self, crc_a: u32, crc_b: u32) -> u32 {
        self.apply(crc_a) ^ crc_b
    }

    /// Bytes held, for the page cache's weight.
    pub const SIZE: usize = 4 * 256 * 4;
}

/// `L(x)` by `crc32fast`'s own combine, with nothing added in.
fn by_combine(x: u32, len: u64) -> u32 {
    let mut hasher = crc32fast::Hasher::new_with_initial_len(x, 0);
    hasher.combine(&crc32fast::Hasher::new_with_initial_len(0, len));
    hasher.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn crc(bytes: &[u8]) -> u32 {
        crc32fast::hash(bytes)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn joins_as_crc32fast_combines(
            a in proptest::collection::vec(any::<u8>(), 0..3_000),
            b in proptest::collection::vec(any::<u8>(), 0..3_000),
        ) {
            let shift = CrcShift::over(b.len() as u64);
            let whole: Vec<u8> = [&a[..], &b[..]].concat();
            prop_assert_eq!(shift.join(crc(&a), crc(&b)), crc(&whole));
        }
    }

    #[test]
    fn the_empty_shift_changes_nothing() {
        let shift = CrcShift::over(0);
        for x in [0, 1, 0xdead_beef, u32::MAX] {
            assert_eq!(shift.apply(x), x);
        }
    }
}
