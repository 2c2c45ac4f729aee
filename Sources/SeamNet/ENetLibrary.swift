import CENet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that knows ENet's global state and its return conventions.
///
/// Conventions of ENet 1.3 that the rest of SeamNet relies on:
/// - `enet_initialize` must run once per process before any other call; it is not thread-safe itself. Seam
///   initializes it with its own allocator (`ENetAllocator`).
/// - `enet_host_create` returns NULL on failure and leaves `errno` from the failing `socket`/`bind`.
/// - `enet_peer_send` returns < 0 when it did not take the packet: the caller still owns it and must destroy it.
///   On success ENet owns the packet and frees it once sent to every peer it was queued for.
/// - A packet delivered by a receive event belongs to the application, which must destroy it.
/// - A peer pointer stays valid for the host's lifetime: ENet reuses the slot after a disconnect.
enum ENetLibrary {
    private static let initialized: Bool = {
        var callbacks = ENetAllocator.callbacks
        let version = ENetVersion(ENET_VERSION_MAJOR << 16 | ENET_VERSION_MINOR << 8 | ENET_VERSION_PATCH)
        return enet_initialize_with_callbacks(version, &callbacks) == 0
    }()

    /// Initializes ENet once; a failure here is unrecoverable for a network process.
    static func ensureInitialized() {
        precondition(initialized, "enet_initialize failed: ENet cannot run in this process")
    }

    /// The last system error as text, e.g. "Address already in use".
    static func systemError() -> String {
        let code = errno
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    /// Sets a socket buffer size, forcing past `net.core.rmem_max` when the process may, and returns the size
    /// the kernel reports afterwards (Linux reports double the requested value for its own bookkeeping).
    static func setBuffer(_ socket: ENetSocket, receive: Bool, bytes: Int) -> Int {
        #if os(Linux)
        let option = receive ? SO_RCVBUF : SO_SNDBUF
        let force = receive ? SO_RCVBUFFORCE : SO_SNDBUFFORCE
        var value = Int32(clamping: bytes)
        let size = socklen_t(MemoryLayout<Int32>.size)
        if setsockopt(socket, SOL_SOCKET, force, &value, size) != 0 {
            _ = setsockopt(socket, SOL_SOCKET, option, &value, size)
        }
        var actual: Int32 = 0
        var length = size
        _ = getsockopt(socket, SOL_SOCKET, option, &actual, &length)
        return Int(actual)
        #else
        _ = enet_socket_set_option(socket, receive ? ENET_SOCKOPT_RCVBUF : ENET_SOCKOPT_SNDBUF, Int32(bytes))
        var actual: Int32 = 0
        _ = enet_socket_get_option(socket, receive ? ENET_SOCKOPT_RCVBUF : ENET_SOCKOPT_SNDBUF, &actual)
        return Int(actual)
        #endif
    }
}
