#if canImport(Glibc)
import Glibc
#endif

extension RefereeJSON {
    /// Parses one JSON text (RFC 8259: a value with optional whitespace around it) from its UTF-8 bytes.
    /// Numbers without a fraction or exponent that fit 64 bits are `.int`; every other number is `.number`,
    /// read as `strtod` reads it (correctly rounded). Objects keep the last of repeated keys.
    ///
    /// The referee reads every journal record through this: through Foundation's `JSONSerialization`
    /// (objects of `Any`, each field cast back) the live referee took 6.5% of a 2-core machine for 2,500
    /// records a second at continent-2000.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(MalformedRecord) -> RefereeJSON {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == bytes.count else { throw parser.error("text after the value") }
        return value
    }

    /// Parses the UTF-8 bytes of `text` (see `parse(_:)`).
    public static func parse(_ bytes: some Collection<UInt8>) throws(MalformedRecord) -> RefereeJSON {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(MalformedRecord) in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBytes { buffer in
            Result { () throws(MalformedRecord) in try parse(buffer) }
        }.get()
    }

    /// Deepest nesting of arrays and objects read (a journal record nests two deep).
    static let maximumDepth = 64

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        func error(_ what: String) -> MalformedRecord { MalformedRecord("not JSON: \(what) at byte \(at)") }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(MalformedRecord) -> RefereeJSON {
            guard at < bytes.count else { throw error("end of text where a value belongs") }
            switch bytes[at] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try word("true"); return .bool(true)
            case UInt8(ascii: "f"): try word("false"); return .bool(false)
            case UInt8(ascii: "n"): try word("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("unexpected byte \(bytes[at])")
            }
        }

        mutating func word(_ text: StaticString) throws(MalformedRecord) {
            let n = text.utf8CodeUnitCount
            guard at + n <= bytes.count else { throw error("truncated literal") }
            for k in 0..<n where bytes[at + k] != text.utf8Start[k] { throw error("bad literal") }
            at += n
        }

        mutating func object(depth: Int) throws(MalformedRecord) -> RefereeJSON {
            // A journal record has up to a dozen or so keys: room for them from the start, no regrowing.
            var members = [String: RefereeJSON](minimumCapacity: 16)
            try elements(closing: "}", of: "object", depth: depth) { (parser: inout Parser) throws(MalformedRecord) in
                guard parser.at < parser.bytes.count, parser.bytes[parser.at] == UInt8(ascii: "\"") else {
                    throw parser.error("object key is not a string")
                }
                let key = try parser.string()
                parser.skipSpace()
                guard parser.at < parser.bytes.count, parser.bytes[parser.at] == UInt8(ascii: ":") else {
                    throw parser.error("no ':' after an object key")
                }
                parser.at += 1
                parser.skipSpace()
                members[key] = try parser.value(depth: depth)
            }
            return .object(members)
        }

        mutating func array(depth: Int) throws(MalformedRecord) -> RefereeJSON {
            var items: [RefereeJSON] = []
            try elements(closing: "]", of: "array", depth: depth) { (parser: inout Parser) throws(MalformedRecord) in
                items.append(try parser.value(depth: depth))
            }
            return .array(items)
        }

        /// The elements of an object or array, `at` on its opening bracket: none, or `element` (called with
        /// `at` on its first byte) separated by commas, then `closing`.
        mutating func elements(closing: Unicode.Scalar, of what: String, depth: Int,
                               _ element: (inout Parser) throws(MalformedRecord) -> Void) throws(MalformedRecord) {
            guard depth <= RefereeJSON.maximumDepth else { throw error("nesting deeper than \(RefereeJSON.maximumDepth)") }
            let close = UInt8(ascii: closing)
            at += 1
            skipSpace()
            if at < bytes.count, bytes[at] == close {
                at += 1
                return
            }
            while true {
                skipSpace()
                try element(&self)
                skipSpace()
                guard at < bytes.count else { throw error("unterminated \(what)") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                guard bytes[at] == close else { throw error("no ',' or '\(closing)' after an \(what) element") }
                at += 1
                return
            }
        }

        /// A string literal; `at` is on its opening quote.
        mutating func string() throws(MalformedRecord) -> String {
            at += 1
            let start = at
            // The common case, no escapes: one UTF-8 validation of the run, none when it is all ASCII.
            var high: UInt8 = 0
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") {
                guard bytes[at] >= 0x20 else { throw error("control character in a string") }
                high |= bytes[at]
                at += 1
            }
            guard at < bytes.count else { throw error("unterminated string") }
            var text = high < 0x80 ? ascii(start..<at) : try utf8(start..<at)
            while bytes[at] == UInt8(ascii: "\\") {
                at += 1
                guard at < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[at]
                at += 1
                switch escape {
                case UInt8(ascii: "\""): text += "\""
                case UInt8(ascii: "\\"): text += "\\"
                case UInt8(ascii: "/"): text += "/"
                case UInt8(ascii: "b"): text += "\u{08}"
                case UInt8(ascii: "f"): text += "\u{0C}"
                case UInt8(ascii: "n"): text += "\n"
                case UInt8(ascii: "r"): text += "\r"
                case UInt8(ascii: "t"): text += "\t"
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by an escaped low one.
                        guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u")
                        else { throw error("lone surrogate") }
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("lone surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("lone surrogate") }
                    text.unicodeScalars.append(u)
                default:
                    throw error("bad escape")
                }
                let run = at
                while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") {
                    guard bytes[at] >= 0x20 else { throw error("control character in a string") }
                    at += 1
                }
                guard at < bytes.count else { throw error("unterminated string") }
                text += try utf8(run..<at)
            }
            at += 1
            return text
        }

        /// Bytes known to be ASCII as a string: no validation (generic over the encoding, `String(validating:as:)`
        /// looked up type metadata at each call, 8% of the offline check).
        func ascii(_ range: Range<Int>) -> String {
            guard !range.isEmpty else { return "" }
            return String(unsafeUninitializedCapacity: range.count) { buffer in
                _ = buffer.initialize(from: UnsafeRawBufferPointer(rebasing: bytes[range]))
                return range.count
            }
        }

        func utf8(_ range: Range<Int>) throws(MalformedRecord) -> String {
            guard !range.isEmpty else { return "" }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
            guard let text = String(validating: slice.bindMemory(to: UInt8.self), as: UTF8.self) else {
                throw error("string is not UTF-8")
            }
            return text
        }

        mutating func hex4() throws(MalformedRecord) -> UInt32 {
            guard at + 4 <= bytes.count else { throw error("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[at]
                let digit: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
                default: throw error("bad \\u escape")
                }
                v = v << 4 | UInt32(digit)
                at += 1
            }
            return v
        }

        /// A number as RFC 8259 spells it: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        mutating func number() throws(MalformedRecord) -> RefereeJSON {
            let start = at
            func digits() -> Int {
                let from = at
                while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) { at += 1 }
                return at - from
            }
            let negative = bytes[at] == UInt8(ascii: "-")
            if negative { at += 1 }
            let intStart = at
            let intDigits = digits()
            guard intDigits > 0 else { throw error("number without digits") }
            guard !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")) else { throw error("number with a leading zero") }
            var integral = true
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { throw error("number without fraction digits") }
                integral = false
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { throw error("number without exponent digits") }
                integral = false
            }
            if integral, let v = integer(intStart..<at, negative: negative) { return .int(v) }
            // strtod over a NUL-terminated copy (a number in a journal line is a few dozen bytes).
            let count = at - start
            return .number(withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
                for k in 0..<count { buffer[k] = CChar(bitPattern: bytes[start + k]) }
                buffer[count] = 0
                return strtod(buffer.baseAddress!, nil)
            })
        }

        /// The decimal digits in `digits` as an Int64, nil when it does not fit (summed negative, where
        /// Int64.min fits too).
        func integer(_ digits: Range<Int>, negative: Bool) -> Int64? {
            var v: Int64 = 0
            for k in digits {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(Int64(bytes[k] - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                v = s
            }
            if negative { return v }
            return v == Int64.min ? nil : -v
        }
    }
}
