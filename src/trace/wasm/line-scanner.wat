;; The reader thread's hot path, compiled: trace lines of one chunk read into
;; the columns of a batch (event-records.ts), the same way events.ts reads them
;; (`scanTraceLine`, then `readByLayout` with the name's learnt layout). Only
;; the plain case is done here: a prefixed or bare event line whose name the
;; JavaScript reader has already met, sent and registered, and whose arguments
;; keep the name's layout with values a double holds exactly. Any other line
;; (noise, a new name, XICS, a changed layout, a long value) stops the call and
;; the JavaScript reader (the definition) reads it: see wasm-line-scanner.ts.
;;
;; Built to dist/line-scanner.wasm by scripts/build.mjs (wabt). Offsets are
;; exported, so the JavaScript side never restates them.
(module
  (memory (export "memory") 91)

  ;; The chunk's bytes, copied once per chunk; lines are [start, end) offsets into it.
  (global $IN (export "IN") i32 (i32.const 0))
  (global $IN_CAP (export "IN_CAP") i32 (i32.const 2097152))
  ;; Pending lines: start and end offsets (i32 each).
  (global $PEND_START (export "PEND_START") i32 (i32.const 2097152))
  (global $PEND_END (export "PEND_END") i32 (i32.const 2162688))
  (global $PEND_CAP (export "PEND_CAP") i32 (i32.const 16384))
  ;; Rows out: tid (i32), name slot (i16), family (u8), end of its arguments (i32, absolute).
  (global $OUT_TID (export "OUT_TID") i32 (i32.const 2228224))
  (global $OUT_SLOT (export "OUT_SLOT") i32 (i32.const 2293760))
  (global $OUT_FAMILY (export "OUT_FAMILY") i32 (i32.const 2326528))
  (global $OUT_ARG_END (export "OUT_ARG_END") i32 (i32.const 2342912))
  ;; Arguments out, packed: key (u8) and value (f64); room for 20 per pending line.
  (global $OUT_KEYS (export "OUT_KEYS") i32 (i32.const 2408448))
  (global $OUT_VALUES (export "OUT_VALUES") i32 (i32.const 2736128))
  (global $OUT_ARG_CAP (export "OUT_ARG_CAP") i32 (i32.const 327680))
  ;; A hex digit's value by byte, else 255.
  (global $HEX (export "HEX") i32 (i32.const 5357568))
  ;; Per name-table slot (SLOTS of them): usable here (u8), reads its arguments (u8), family (u8).
  (global $SLOTS (export "SLOTS") i32 (i32.const 1024))
  (global $SLOT_USABLE (export "SLOT_USABLE") i32 (i32.const 5357824))
  (global $SLOT_READS (export "SLOT_READS") i32 (i32.const 5358848))
  (global $SLOT_FAMILY (export "SLOT_FAMILY") i32 (i32.const 5359872))
  ;; Per slot, its argument layout: values (i32, −1: none), tail length (i32),
  ;; literal length and key per value (24 × i32 each), literal bytes (256).
  (global $LAYOUT_VALUES (export "LAYOUT_VALUES") i32 (i32.const 5360896))
  (global $LAYOUT_TAIL (export "LAYOUT_TAIL") i32 (i32.const 5364992))
  (global $LAYOUT_LITERAL_LENGTH (export "LAYOUT_LITERAL_LENGTH") i32 (i32.const 5369088))
  (global $LAYOUT_KEY (export "LAYOUT_KEY") i32 (i32.const 5467392))
  (global $LAYOUT_BYTES (export "LAYOUT_BYTES") i32 (i32.const 5565696))
  (global $LAYOUT_MAX_VALUES (export "LAYOUT_MAX_VALUES") i32 (i32.const 24))
  (global $LAYOUT_MAX_BYTES (export "LAYOUT_MAX_BYTES") i32 (i32.const 256))
  ;; Registered names: 2048 entries of (slot + 1, pool offset, length) (0: empty),
  ;; found by the reader's own hash (event-names.ts `nameHash`), probed linearly.
  (global $NAMES (export "NAMES") i32 (i32.const 5827840))
  (global $NAMES_MASK (export "NAMES_MASK") i32 (i32.const 2047))
  (global $NAME_POOL (export "NAME_POOL") i32 (i32.const 5852416))
  (global $NAME_POOL_CAP (export "NAME_POOL_CAP") i32 (i32.const 32768))

  ;; After `scan`: 1 when it stopped at a line it leaves to the JavaScript reader
  ;; (the line after the rows written), 0 when it ran out of lines or of room.
  (global $stoppedAtLine (export "stoppedAtLine") (mut i32) (i32.const 0))
  ;; After `scan`: arguments written (at OUT_KEYS / OUT_VALUES from 0).
  (global $argsWritten (export "argsWritten") (mut i32) (i32.const 0))

  ;; Whether bytes [a, a + n) equal bytes [b, b + n): eight at a time, then one by one.
  (func $same (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $j i32)
    (block $words (loop $word
      (br_if $words (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
      (if (i64.ne (i64.load (i32.add (local.get $a) (local.get $j))) (i64.load (i32.add (local.get $b) (local.get $j))))
        (then (return (i32.const 0))))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $word)))
    (block $bytes (loop $byte
      (br_if $bytes (i32.ge_u (local.get $j) (local.get $n)))
      (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $j))) (i32.load8_u (i32.add (local.get $b) (local.get $j))))
        (then (return (i32.const 0))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $byte)))
    (i32.const 1))

  ;; The slot of the registered name at bytes [s, e), or −1.
  (func $slotOf (param $s i32) (param $e i32) (result i32)
    (local $n i32) (local $h i32) (local $idx i32) (local $entry i32) (local $slot i32)
    (local.set $n (i32.sub (local.get $e) (local.get $s)))
    (if (i32.eqz (local.get $n)) (then (return (i32.const -1))))
    ;; nameHash: imul(n, 0x9e3779b1) ^ b[e−1] << 16 ^ b[e − (n > 1 ? 2 : 1)] << 8 ^ b[s + (n >> 1)]
    (local.set $h
      (i32.xor
        (i32.xor
          (i32.xor
            (i32.mul (local.get $n) (i32.const 0x9e3779b1))
            (i32.shl (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 16)))
          (i32.shl
            (i32.load8_u (i32.sub (local.get $e) (select (i32.const 2) (i32.const 1) (i32.gt_u (local.get $n) (i32.const 1)))))
            (i32.const 8)))
        (i32.load8_u (i32.add (local.get $s) (i32.shr_u (local.get $n) (i32.const 1))))))
    (local.set $idx (i32.and (local.get $h) (global.get $NAMES_MASK)))
    (loop $probe
      (local.set $entry (i32.add (global.get $NAMES) (i32.mul (local.get $idx) (i32.const 12))))
      (local.set $slot (i32.load (local.get $entry)))
      (if (i32.eqz (local.get $slot)) (then (return (i32.const -1))))
      (if (i32.eq (i32.load offset=8 (local.get $entry)) (local.get $n))
        (then
          (if (call $same (local.get $s) (i32.add (global.get $NAME_POOL) (i32.load offset=4 (local.get $entry))) (local.get $n))
            (then (return (i32.sub (local.get $slot) (i32.const 1)))))))
      (local.set $idx (i32.and (i32.add (local.get $idx) (i32.const 1)) (global.get $NAMES_MASK)))
      (br $probe))
    (i32.const -1))

  ;; Reads pending lines k, k + 1, … below n into rows, at most maxRows rows,
  ;; stopping after a row that takes the batch's arguments past argLimit
  ;; (argBase: the batch's arguments before the first row). Returns the rows
  ;; written, one per line read; sets stoppedAtLine and argsWritten.
  (func (export "scan") (param $k i32) (param $n i32) (param $maxRows i32) (param $argBase i32) (param $argLimit i32) (result i32)
    (local $rows i32) (local $args i32) (local $rowArgs i32)
    (local $start i32) (local $end i32) (local $i i32) (local $c i32) (local $tid i32)
    (local $from i32) (local $limit i32) (local $nameStart i32) (local $nameEnd i32) (local $slot i32)
    (local $values i32) (local $value i32) (local $literals i32) (local $length i32) (local $p i32)
    (local $found i32) (local $key i32) (local $digits i32) (local $hex i32) (local $d i32) (local $after i32)
    (local $v f64)
    (global.set $stoppedAtLine (i32.const 0))
    (block $out
      (loop $line
        (br_if $out (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $start (i32.load (i32.add (global.get $PEND_START) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $end (i32.load (i32.add (global.get $PEND_END) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $rowArgs (local.get $args))
        (block $leave
          ;; `TID@EPOCH:`: up to ten digits, '@', a digit, and a ':' within 32 bytes of the '@'.
          (local.set $i (local.get $start))
          (local.set $tid (i32.const 0))
          (local.set $c (select (i32.load8_u (local.get $i)) (i32.const 0) (i32.lt_u (local.get $i) (local.get $end))))
          (block $digitsEnd (loop $digit
            (br_if $digitsEnd (i32.gt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9)))
            (br_if $digitsEnd (i32.ge_u (i32.sub (local.get $i) (local.get $start)) (i32.const 10)))
            (local.set $tid (i32.add (i32.mul (local.get $tid) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $c (select (i32.load8_u (local.get $i)) (i32.const 0) (i32.lt_u (local.get $i) (local.get $end))))
            (br $digit)))
          (if (i32.gt_u (local.get $i) (local.get $start))
            (then
              ;; Digits not followed by '@' are noise to the reader: its to say.
              (br_if $leave (i32.ne (local.get $c) (i32.const 64)))
              (local.set $from (i32.add (local.get $i) (i32.const 1)))
              (br_if $leave (i32.ge_u (local.get $from) (local.get $end)))
              (br_if $leave (i32.gt_u (i32.sub (i32.load8_u (local.get $from)) (i32.const 48)) (i32.const 9)))
              (local.set $limit (select (local.get $end) (i32.add (local.get $i) (i32.const 33))
                (i32.lt_u (local.get $end) (i32.add (local.get $i) (i32.const 33)))))
              (local.set $i (i32.add (local.get $from) (i32.const 1)))
              (block $colon (loop $seek
                (br_if $colon (i32.ge_u (local.get $i) (local.get $limit)))
                (br_if $colon (i32.eq (i32.load8_u (local.get $i)) (i32.const 58)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $seek)))
              (br_if $leave (i32.ge_u (local.get $i) (local.get $limit)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))))
          ;; The name: starts with 's', 'x' or 'p', ends at the first space after its first byte, or the line's end.
          (local.set $nameStart (local.get $i))
          (br_if $leave (i32.ge_u (local.get $nameStart) (local.get $end)))
          (local.set $c (i32.load8_u (local.get $nameStart)))
          (br_if $leave (i32.and (i32.and (i32.ne (local.get $c) (i32.const 115)) (i32.ne (local.get $c) (i32.const 120))) (i32.ne (local.get $c) (i32.const 112))))
          (local.set $nameEnd (i32.add (local.get $nameStart) (i32.const 1)))
          (block $space (loop $seekSpace
            (br_if $space (i32.ge_u (local.get $nameEnd) (local.get $end)))
            (br_if $space (i32.eq (i32.load8_u (local.get $nameEnd)) (i32.const 32)))
            (local.set $nameEnd (i32.add (local.get $nameEnd) (i32.const 1)))
            (br $seekSpace)))
          (local.set $slot (call $slotOf (local.get $nameStart) (local.get $nameEnd)))
          (br_if $leave (i32.lt_s (local.get $slot) (i32.const 0)))
          (br_if $leave (i32.eqz (i32.load8_u (i32.add (global.get $SLOT_USABLE) (local.get $slot)))))
          ;; The arguments start after the space (or at the end).
          (local.set $i (select (i32.add (local.get $nameEnd) (i32.const 1)) (local.get $end) (i32.lt_u (local.get $nameEnd) (local.get $end))))
          (if (i32.load8_u (i32.add (global.get $SLOT_READS) (local.get $slot)))
            (then
              (local.set $values (i32.load (i32.add (global.get $LAYOUT_VALUES) (i32.shl (local.get $slot) (i32.const 2)))))
              (br_if $leave (i32.lt_s (local.get $values) (i32.const 0)))
              (local.set $literals (i32.add (global.get $LAYOUT_BYTES) (i32.mul (local.get $slot) (global.get $LAYOUT_MAX_BYTES))))
              (local.set $p (i32.const 0))
              (local.set $found (i32.const 0))
              (local.set $value (i32.const 0))
              (block $valuesEnd (loop $eachValue
                (br_if $valuesEnd (i32.ge_s (local.get $value) (local.get $values)))
                ;; The literal before the value, byte for byte.
                (local.set $length (i32.load (i32.add (global.get $LAYOUT_LITERAL_LENGTH)
                  (i32.shl (i32.add (i32.mul (local.get $slot) (global.get $LAYOUT_MAX_VALUES)) (local.get $value)) (i32.const 2)))))
                (br_if $leave (i32.ge_u (i32.add (local.get $i) (local.get $length)) (local.get $end)))
                (br_if $leave (i32.eqz (call $same (local.get $i) (i32.add (local.get $literals) (local.get $p)) (local.get $length))))
                (local.set $i (i32.add (local.get $i) (local.get $length)))
                (local.set $p (i32.add (local.get $p) (local.get $length)))
                ;; The value: 0x hex or decimal digits (events.ts `readValue`).
                (local.set $v (f64.const 0))
                (local.set $digits (i32.const 0))
                (local.set $hex (i32.and
                  (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $end))
                  (i32.eq (i32.load16_u (local.get $i)) (i32.const 0x7830))))
                (if (local.get $hex)
                  (then
                    (local.set $i (i32.add (local.get $i) (i32.const 2)))
                    (block $hexEnd (loop $hexDigit
                      (br_if $hexEnd (i32.ge_u (local.get $i) (local.get $end)))
                      (local.set $d (i32.load8_u (i32.add (global.get $HEX) (i32.load8_u (local.get $i)))))
                      (br_if $hexEnd (i32.eq (local.get $d) (i32.const 255)))
                      (local.set $v (f64.add (f64.mul (local.get $v) (f64.const 16)) (f64.convert_i32_u (local.get $d))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
                      (br $hexDigit))))
                  (else
                    (block $decEnd (loop $decDigit
                      (br_if $decEnd (i32.ge_u (local.get $i) (local.get $end)))
                      (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
                      (br_if $decEnd (i32.gt_u (local.get $d) (i32.const 9)))
                      (local.set $v (f64.add (f64.mul (local.get $v) (f64.const 10)) (f64.convert_i32_u (local.get $d))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
                      (br $decDigit)))))
                ;; Well formed: digits, then a space, a comma, '<' or the end.
                (br_if $leave (i32.eqz (local.get $digits)))
                (local.set $after (select (i32.load8_u (local.get $i)) (i32.const 32) (i32.lt_u (local.get $i) (local.get $end))))
                (br_if $leave (i32.and (i32.and (i32.ne (local.get $after) (i32.const 32)) (i32.ne (local.get $after) (i32.const 44))) (i32.ne (local.get $after) (i32.const 60))))
                (local.set $key (i32.load (i32.add (global.get $LAYOUT_KEY)
                  (i32.shl (i32.add (i32.mul (local.get $slot) (global.get $LAYOUT_MAX_VALUES)) (local.get $value)) (i32.const 2)))))
                (if (i32.ge_s (local.get $key) (i32.const 0))
                  (then
                    (if (i32.eqz (i32.and (local.get $found) (i32.shl (i32.const 1) (local.get $key))))
                      (then
                        (local.set $found (i32.or (local.get $found) (i32.shl (i32.const 1) (local.get $key))))
                        ;; More digits than a double holds exactly: the reader keeps the line's text for it.
                        (br_if $leave (i32.gt_u (local.get $digits) (select (i32.const 13) (i32.const 15) (local.get $hex))))
                        (i32.store8 (i32.add (global.get $OUT_KEYS) (local.get $args)) (local.get $key))
                        (f64.store (i32.add (global.get $OUT_VALUES) (i32.shl (local.get $args) (i32.const 3))) (local.get $v))
                        (local.set $args (i32.add (local.get $args) (i32.const 1)))))))
                (local.set $value (i32.add (local.get $value) (i32.const 1)))
                (br $eachValue)))
              ;; The tail after the last value: the same length and bytes.
              (local.set $length (i32.load (i32.add (global.get $LAYOUT_TAIL) (i32.shl (local.get $slot) (i32.const 2)))))
              (br_if $leave (i32.ne (i32.sub (local.get $end) (local.get $i)) (local.get $length)))
              (br_if $leave (i32.eqz (call $same (local.get $i) (i32.add (local.get $literals) (local.get $p)) (local.get $length))))))
          ;; The row.
          (i32.store (i32.add (global.get $OUT_TID) (i32.shl (local.get $rows) (i32.const 2))) (local.get $tid))
          (i32.store16 (i32.add (global.get $OUT_SLOT) (i32.shl (local.get $rows) (i32.const 1))) (local.get $slot))
          (i32.store8 (i32.add (global.get $OUT_FAMILY) (local.get $rows)) (i32.load8_u (i32.add (global.get $SLOT_FAMILY) (local.get $slot))))
          (i32.store (i32.add (global.get $OUT_ARG_END) (i32.shl (local.get $rows) (i32.const 2))) (i32.add (local.get $argBase) (local.get $args)))
          (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $out (i32.ge_u (local.get $rows) (local.get $maxRows)))
          (br_if $out (i32.gt_s (i32.add (local.get $argBase) (local.get $args)) (local.get $argLimit)))
          (br $line))
        ;; Left to the JavaScript reader: this line's arguments are not kept.
        (local.set $args (local.get $rowArgs))
        (global.set $stoppedAtLine (i32.const 1))))
    (global.set $argsWritten (local.get $args))
    (local.get $rows))
)
