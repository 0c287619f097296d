#ifndef SPECSYNC_CRC32C_H
#define SPECSYNC_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli, as iSCSI, ext4 and Btrfs use) of `length` bytes, continuing `crc` (0 to
/// start): the SSE 4.2 instruction where the processor has it, a table otherwise.
uint32_t specsync_crc32c(uint32_t crc, const void *data, size_t length);

/// The same with the table only, whatever the processor: for tests that compare the two.
uint32_t specsync_crc32c_portable(uint32_t crc, const void *data, size_t length);

#endif
