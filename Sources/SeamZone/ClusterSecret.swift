import Crypto
import Foundation
import SeamProtocol

/// The cluster's shared secret: signs attach tokens and proves neighbour links (HMAC-SHA256, 16 bytes kept).
public struct ClusterSecret {
    /// HMAC keyed once: each MAC starts from a copy. Keying it for every token (a busy zone signs a
    /// standby token for each player entering a border band) was half the cost of a MAC.
    let keyed: HMAC<SHA256>

    public init(_ bytes: [UInt8]) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: bytes))
    }

    func mac(_ bytes: [UInt8]) -> [UInt8] {
        var hmac = keyed
        hmac.update(data: bytes)
        return Array(hmac.finalize().prefix(AttachToken.macSize))
    }

    func sign(_ token: AttachToken) -> AttachToken {
        var t = token
        t.mac = mac(token.signedBytes)
        return t
    }

    /// Whether the token carries the MAC it should, compared in constant time.
    func verify(_ token: AttachToken) -> Bool {
        ClusterSecret.equal(token.mac, mac(token.signedBytes))
    }

    /// Constant-time equality of two MACs.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }

    /// Proof that an observer (the referee) knows the secret, bound to the zone it observes.
    public func observerProof(zone: Int) -> [UInt8] {
        mac(Array("seam-observe".utf8) + [UInt8(zone & 0xff), UInt8(zone >> 8)])
    }

    /// Proof that the sender of a link Hello knows the secret, bound to both ends.
    func linkProof(from: Int, to: Int) -> [UInt8] {
        mac(Array("seam-link".utf8) + [UInt8(from & 0xff), UInt8(from >> 8), UInt8(to & 0xff), UInt8(to >> 8)])
    }

    static func random() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
}
