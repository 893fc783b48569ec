#!/usr/bin/env python3
"""Builds the v0.1.0 store fixture by driving a server built from tag v0.1.0 over HTTP.

Usage (from a checkout of tag v0.1.0, see README.md beside this file):
    dotnet build src/Api -c Release -o /tmp/v010-api
    python3 make-fixture.py /tmp/v010-api/CryptoSecure.Api.dll OUT_DIR

Writes OUT_DIR/cryptosecure.db (WAL checkpointed into the file), OUT_DIR/master-key.txt and
OUT_DIR/manifest.json. Every key in them is generated for this fixture and is test-only.
Standard library only.
"""
import base64
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, dll, data_dir, master_key, admin_key):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update({
            "ASPNETCORE_ENVIRONMENT": "Production",
            "Storage__DataDirectory": data_dir,
            "Security__MasterKey": master_key,
            "Security__AdminApiKeys__0": admin_key,
            "RateLimiting__Enabled": "false",
            "Keys__DefaultKeySize": "3072",
            "Keys__Pool__2048": "1",
            "Keys__Pool__3072": "1",
            "Keys__Pool__4096": "0",
            "Keys__Pool__Parallelism": "1",
        })
        self.log = open(os.path.join(data_dir, "..", "server.log"), "wb")
        self.process = subprocess.Popen(
            ["dotnet", dll, "--urls", self.base], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                if self.call("GET", "/health/ready")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not become ready")

    def call(self, method, path, body=None, api_key=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if api_key is not None:
            request.add_header("Authorization", "Bearer " + api_key)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, (json.loads(text) if text else None)

    def expect(self, status, method, path, body=None, api_key=None):
        got, answer = self.call(method, path, body, api_key)
        if got != status:
            raise RuntimeError(f"{method} {path}: expected {status}, got {got}: {answer}")
        return answer

    def stop(self):
        # SIGTERM: the host stops gracefully and disposes the store.
        self.process.send_signal(signal.SIGTERM)
        if self.process.wait(timeout=60) != 0:
            raise RuntimeError(f"server exited with {self.process.returncode}")
        self.log.close()


def main(dll, out_dir):
    work = tempfile.mkdtemp(prefix="cryptosecure-fixture-")
    data_dir = os.path.join(work, "data")
    os.makedirs(data_dir)
    master_key = base64.b64encode(secrets.token_bytes(32)).decode()
    admin_key = "admin-fixture-" + secrets.token_hex(16)
    server = Server(dll, data_dir, master_key, admin_key)
    identities = []

    def register_v1(email, key_size, exportable=None):
        body = {"email": email, "keySize": key_size}
        if exportable is not None:
            body["exportable"] = exportable
        answer = server.expect(201, "POST", "/api/v1/users", body)
        identity = {"email": email, "route": "POST /api/v1/users", "apiKey": answer["apiKey"],
                    "exportable": answer["exportable"], "deleted": False, "ciphertexts": []}
        identities.append(identity)
        return identity

    def encrypt(identity, fmt, plaintext=None, plaintext_base64=None, decrypts=True, note=None):
        email = identity["email"]
        if fmt == "prototype-hex":
            answer = server.expect(200, "POST", f"/encrypt/{email}", {"plaintext": plaintext})
            ring = server.expect(200, "GET", f"/api/v1/users/{email}/keys")
            entry = {"format": fmt, "keyVersion": ring["latestVersion"], "ciphertext": answer["ciphertext"]}
        else:
            body = {"format": fmt}
            if plaintext is not None:
                body["plaintext"] = plaintext
            else:
                body["plaintextBase64"] = plaintext_base64
            answer = server.expect(200, "POST", f"/api/v1/users/{email}/encrypt", body)
            entry = {"format": fmt, "keyVersion": answer["keyVersion"], "ciphertext": answer["ciphertext"]}
        entry["plaintext"] = plaintext
        entry["plaintextBase64"] = plaintext_base64 if plaintext is None else base64.b64encode(plaintext.encode()).decode()
        entry["decrypts"] = decrypts
        if note:
            entry["note"] = note
        identity["ciphertexts"].append(entry)
        return entry

    # alice: RSA-2048, three versions (2048, 3072, 2048), minimum decryption version 2.
    alice = register_v1("alice@example.com", 2048)
    old = encrypt(alice, "jwe", "alice: made under version 1, below the minimum decryption version", decrypts=False,
                  note="version 1 is below minDecryptionVersion 2: decrypt must refuse it (400)")
    server.expect(200, "POST", "/api/v1/users/alice@example.com/keys/rotate", {"keySize": 3072}, alice["apiKey"])
    encrypt(alice, "jwe", "alice v2 jwe: h\u00e9llo w\u00f6rld \u2713")
    encrypt(alice, "rsa-oaep", "alice v2 rsa-oaep")
    encrypt(alice, "prototype-hex", "alice v2 prototype")
    server.expect(200, "POST", "/api/v1/users/alice@example.com/keys/rotate", {"keySize": 2048}, alice["apiKey"])
    encrypt(alice, "jwe", plaintext_base64=base64.b64encode(bytes([0, 255, 254, 1, 128, 10])).decode())
    encrypt(alice, "rsa-oaep", "alice v3 rsa-oaep")
    encrypt(alice, "prototype-hex", "alice v3 prototype")
    server.expect(200, "PUT", "/api/v1/users/alice@example.com/keys/config", {"minDecryptionVersion": 2}, alice["apiKey"])
    server.expect(400, "POST", "/api/v1/users/alice@example.com/decrypt", {"ciphertext": old["ciphertext"]}, alice["apiKey"])
    server.expect(200, "POST", "/api/v1/users/alice@example.com/decrypt", {"ciphertext": alice["ciphertexts"][1]["ciphertext"]}, alice["apiKey"])
    server.expect(200, "GET", "/api/v1/users/alice@example.com/keys/private?version=3", api_key=alice["apiKey"])
    server.expect(200, "GET", "/api/v1/users/alice@example.com/keys/private?version=2", api_key=admin_key)

    # bob: RSA-3072, not exportable, registered with a mixed-case address.
    bob = register_v1("Bob.Builder@Example.COM", 3072, exportable=False)
    encrypt(bob, "jwe", "bob jwe")
    encrypt(bob, "rsa-oaep", "bob rsa-oaep")
    encrypt(bob, "prototype-hex", "bob prototype")
    server.expect(403, "GET", "/api/v1/users/bob.builder@example.com/keys/private", api_key=bob["apiKey"])

    # carol: registered through the prototype route (server default size 3072, exportable).
    answer = server.expect(201, "POST", "/takeuser", {"Email": "carol@example.org"})
    carol = {"email": "carol@example.org", "route": "POST /takeuser", "apiKey": answer["api_key"],
             "exportable": "private_key" in answer, "deleted": False, "ciphertexts": []}
    identities.append(carol)
    encrypt(carol, "prototype-hex", "carol prototype")
    encrypt(carol, "jwe", "carol jwe")
    encrypt(carol, "rsa-oaep", "carol rsa-oaep")
    server.expect(200, "POST", "/decrypt/carol@example.org", {"ciphertext": carol["ciphertexts"][0]["ciphertext"]}, carol["apiKey"])

    # mallory: holds her own key and uses it on alice (denied, recorded on alice's trail).
    mallory = register_v1("mallory@example.com", 2048)
    server.expect(403, "POST", "/api/v1/users/alice@example.com/decrypt", {"ciphertext": alice["ciphertexts"][1]["ciphertext"]}, mallory["apiKey"])
    server.expect(403, "GET", "/api/v1/users/alice@example.com/keys/private?version=3", api_key=mallory["apiKey"])
    encrypt(mallory, "jwe", "mallory jwe")

    # dave: registered, used, deleted by its owner.
    dave = register_v1("dave@example.net", 2048)
    encrypt(dave, "jwe", "dave jwe", decrypts=False, note="dave was deleted: his keys are gone")
    server.expect(204, "DELETE", "/api/v1/users/dave@example.net", api_key=dave["apiKey"])
    dave["deleted"] = True

    for identity in identities:
        if identity["deleted"]:
            server.expect(404, "GET", f"/api/v1/users/{identity['email']}/keys")
            continue
        ring = server.expect(200, "GET", f"/api/v1/users/{identity['email']}/keys")
        identity["latestVersion"] = ring["latestVersion"]
        identity["minDecryptionVersion"] = ring["minDecryptionVersion"]
        identity["publicKeys"] = [{"version": k["version"], "keySize": k["keySize"], "publicKeyPem": k["publicKeyPem"]} for k in ring["keys"]]
        events, cursor = [], None
        while True:
            query = "?limit=200" + (f"&cursor={cursor}" if cursor else "")
            page = server.expect(200, "GET", f"/api/v1/users/{identity['email']}/audit{query}", api_key=identity["apiKey"])
            events += [{k: e[k] for k in ("occurredAt", "action", "outcome", "actor", "keyVersion")} for e in page["events"]]
            cursor = page["nextCursor"]
            if cursor is None:
                break
        identity["audit"] = events

    server.stop()

    # Fold the WAL into the database file, so the fixture is one self-contained file.
    database = os.path.join(data_dir, "cryptosecure.db")
    connection = sqlite3.connect(database)
    busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE);").fetchone()
    user_version = connection.execute("PRAGMA user_version;").fetchone()[0]
    connection.close()
    wal = database + "-wal"
    if busy != 0 or (os.path.exists(wal) and os.path.getsize(wal) > 0):
        raise RuntimeError("the WAL was not checkpointed")

    os.makedirs(out_dir, exist_ok=True)
    with open(database, "rb") as source, open(os.path.join(out_dir, "cryptosecure.db"), "wb") as target:
        target.write(source.read())
    with open(os.path.join(out_dir, "master-key.txt"), "w") as f:
        f.write(master_key + "\n")
    manifest = {
        "release": "v0.1.0",
        "storeFile": "cryptosecure.db",
        "sqliteUserVersion": user_version,
        "masterKeyFile": "master-key.txt",
        "adminApiKey": admin_key,
        "note": "Test-only keys, generated for this fixture. Never use them anywhere else.",
        "identities": identities,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"fixture written to {out_dir} (user_version {user_version})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
