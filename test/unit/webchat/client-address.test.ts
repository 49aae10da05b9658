import { describe, expect, it } from "vitest";
import { clientAddressOf, trustedProxies } from "../../../webchat/server/client-address.ts";
import { isAddressOrRange } from "../../../config/fields.ts";

describe("web chat: the client address behind a proxy", () => {
  const proxies = trustedProxies(["172.18.0.0/16", "::1"]);

  it("takes the socket's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddressOf("203.0.113.7", "198.51.100.1", trustedProxies([]))).toBe("203.0.113.7");
    expect(clientAddressOf("::ffff:203.0.113.7", undefined, trustedProxies([]))).toBe("203.0.113.7");
    expect(clientAddressOf("203.0.113.7", "198.51.100.1", proxies)).toBe("203.0.113.7");
  });

  it("behind a trusted proxy, takes the address the proxy saw, not what the client wrote", () => {
    expect(clientAddressOf("172.18.0.5", "198.51.100.1", proxies)).toBe("198.51.100.1");
    // A client cannot choose its address by sending its own header: the proxy appends the real one on the right.
    expect(clientAddressOf("::ffff:172.18.0.5", "1.2.3.4, 198.51.100.1", proxies)).toBe("198.51.100.1");
    expect(clientAddressOf("::1", ["1.2.3.4", "172.18.0.9, 2001:db8::5"], proxies)).toBe("2001:db8::5");
    // Through two trusted proxies.
    expect(clientAddressOf("172.18.0.5", "198.51.100.1, 172.18.0.9", proxies)).toBe("198.51.100.1");
  });

  it("does not believe a garbled header, nor a header without an address", () => {
    expect(clientAddressOf("172.18.0.5", "198.51.100.1, not-an-address", proxies)).toBe("172.18.0.5");
    expect(clientAddressOf("172.18.0.5", undefined, proxies)).toBe("172.18.0.5");
    expect(clientAddressOf("172.18.0.5", " , ", proxies)).toBe("172.18.0.5");
  });

  it("accepts addresses and ranges as proxy entries, nothing else", () => {
    for (const entry of ["10.0.0.0/8", "172.18.0.2", "::1", "fd00::/8", "0.0.0.0/0"])
      expect(isAddressOrRange(entry)).toBe(true);
    for (const entry of ["10.0.0.0/33", "caddy", "10.0.0.0/8/1", "", "::1/129", "10.0.0.0/x"]) {
      expect(isAddressOrRange(entry), entry).toBe(false);
    }
  });
});
