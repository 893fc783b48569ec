"""A re-creation of CryptoSecure's Python/Flask prototype, to measure it on this machine.

The original's code is lost; what is known of it (ARCHITECTURE.md, "Prototype-compatible routes")
is its four routes, their JSON shapes, RSA-2048 with OAEP-SHA256 and hex ciphertexts, private keys
kept in clear and handed to anyone. Everything else here is an assumption, chosen as the plain
Flask app such a prototype would have been (see README.md in this folder):

- users live in a dict in the process, email -> PEM strings (the original used MongoDB, one
  document per user with the PEMs as strings; a dict is cheaper, so this errs in the prototype's
  favour);
- each request loads the PEM it needs (load_pem_public_key / load_pem_private_key) and throws the
  key away, as code that stores PEM strings does; loading a private key validates it, which is
  why decryption is slow;
- no authentication, no audit, no limits: the prototype had none;
- Flask's own development server (Werkzeug, threaded), with its request log on stderr.

Usage: python3 app.py PORT
"""

import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from flask import Flask, jsonify, request

app = Flask(__name__)
users = {}

OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


@app.route("/takeuser", methods=["POST"])
def take_user():
    email = (request.get_json(silent=True) or {}).get("Email")
    if not email:
        return jsonify({"error": "Email is required"}), 400
    if email in users:
        return jsonify({"error": "User already exists"}), 409
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    users[email] = {"public_key": public_pem, "private_key": private_pem}
    return jsonify({"email": email, "public_key": public_pem, "private_key": private_pem}), 201


@app.route("/get_keys/<email>", methods=["GET"])
def get_keys(email):
    user = users.get(email)
    if user is None:
        return jsonify({"error": "User not found"}), 404
    return jsonify({"email": email, "public_key": user["public_key"], "private_key": user["private_key"]})


@app.route("/encrypt/<email>", methods=["POST"])
def encrypt(email):
    user = users.get(email)
    if user is None:
        return jsonify({"error": "User not found"}), 404
    plaintext = (request.get_json(silent=True) or {}).get("plaintext")
    if plaintext is None:
        return jsonify({"error": "plaintext is required"}), 400
    public_key = serialization.load_pem_public_key(user["public_key"].encode())
    ciphertext = public_key.encrypt(plaintext.encode(), OAEP)
    return jsonify({"ciphertext": ciphertext.hex()})


@app.route("/decrypt/<email>", methods=["POST"])
def decrypt(email):
    user = users.get(email)
    if user is None:
        return jsonify({"error": "User not found"}), 404
    ciphertext = (request.get_json(silent=True) or {}).get("ciphertext")
    if ciphertext is None:
        return jsonify({"error": "ciphertext is required"}), 400
    private_key = serialization.load_pem_private_key(user["private_key"].encode(), password=None)
    try:
        plaintext = private_key.decrypt(bytes.fromhex(ciphertext), OAEP)
    except ValueError:
        return jsonify({"error": "Decryption failed"}), 400
    return jsonify({"plaintext": plaintext.decode()})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
