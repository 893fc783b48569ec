using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class AuditCursorSealerTests : IDisposable
{
    private readonly MasterKey _masterKey = new(RandomNumberGenerator.GetBytes(MasterKey.Length));
    private readonly Guid _identity = Guid.NewGuid();

    public void Dispose() => _masterKey.Dispose();

    private AuditCursorSealer Sealer => new(_masterKey);

    [Theory]
    [InlineData(8)]
    [InlineData(12)]
    public void A_cursor_opens_to_its_position_for_the_identity_and_kind_it_was_sealed_for(int positionLength)
    {
        var position = new AuditPosition(RandomNumberGenerator.GetBytes(positionLength));

        var cursor = Sealer.Seal(_identity, AuditKind.Owner, position);

        Sealer.Open(_identity, AuditKind.Owner, cursor)!.Bytes.ToArray().Should().Equal(position.Bytes.ToArray());
        cursor.Should().MatchRegex("^[A-Za-z0-9_-]+$", "it travels in a query string as it is");
        cursor.Length.Should().BeLessThanOrEqualTo(128, "the query's validator takes cursors up to 128 characters");
    }

    [Fact]
    public void A_cursor_does_not_open_for_another_identity_or_another_kind()
    {
        var cursor = Sealer.Seal(_identity, null, Sequence(42));

        Sealer.Open(Guid.NewGuid(), null, cursor).Should().BeNull();
        foreach (var kind in Enum.GetValues<AuditKind>())
        {
            Sealer.Open(_identity, kind, cursor).Should().BeNull();
        }
    }

    [Fact]
    public void A_cursor_reveals_nothing_of_the_position_and_differs_between_identities()
    {
        var first = Sealer.Seal(_identity, null, Sequence(1000));
        var elsewhere = Sealer.Seal(Guid.NewGuid(), null, Sequence(1000));

        Base64Url.DecodeFromChars(first).AsSpan().IndexOf(Sequence(1000).Bytes).Should().Be(-1);
        first.Should().NotBe(elsewhere);
        Sealer.Seal(_identity, null, Sequence(1000)).Should().Be(first, "the nonce is synthetic: one page, one cursor");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("42")]
    [InlineData("!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_string_this_service_did_not_issue_does_not_open(string forged) =>
        Sealer.Open(_identity, null, forged).Should().BeNull();

    [Fact]
    public void A_tampered_truncated_or_extended_cursor_does_not_open()
    {
        var bytes = Base64Url.DecodeFromChars(Sealer.Seal(_identity, null, Sequence(7)));

        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            Sealer.Open(_identity, null, Base64Url.EncodeToString(tampered)).Should().BeNull($"byte {i} was flipped");
        }

        Sealer.Open(_identity, null, Base64Url.EncodeToString(bytes.AsSpan(0, bytes.Length - 1))).Should().BeNull();
        Sealer.Open(_identity, null, Base64Url.EncodeToString([.. bytes, 0])).Should().BeNull();
    }

    [Fact]
    public void A_cursor_from_a_service_with_another_master_key_does_not_open()
    {
        using var otherKey = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));
        var cursor = new AuditCursorSealer(otherKey).Seal(_identity, null, Sequence(7));

        Sealer.Open(_identity, null, cursor).Should().BeNull();
    }

    private static AuditPosition Sequence(long seq)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, seq);
        return new AuditPosition(bytes);
    }
}
