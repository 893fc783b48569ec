using System.Security.Cryptography;
using CryptoSecure.Infrastructure.Crypto;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

public sealed class MasterKeyTests
{
    [Fact]
    public void Key_matches_its_own_check_value()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));

        key.Matches(key.CheckValue).Should().BeTrue();
    }

    [Fact]
    public void Key_does_not_match_another_keys_check_value()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));
        using var other = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));

        other.CheckValue.Should().NotEqual(key.CheckValue);
        key.Matches(other.CheckValue).Should().BeFalse();
        other.Matches(key.CheckValue).Should().BeFalse();
    }

    [Fact]
    public void Key_does_not_match_a_truncated_or_empty_check_value()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));

        key.Matches(key.CheckValue.AsSpan(0, 16)).Should().BeFalse();
        key.Matches([]).Should().BeFalse();
    }

    [Fact]
    public void Same_key_material_gives_the_same_check_value_across_restarts()
    {
        var material = RandomNumberGenerator.GetBytes(MasterKey.Length);
        using var first = new MasterKey((byte[])material.Clone());
        using var second = new MasterKey(material);

        second.Matches(first.CheckValue).Should().BeTrue();
    }

    [Fact]
    public void Check_value_and_sealing_key_are_derived_not_the_configured_bytes()
    {
        var material = RandomNumberGenerator.GetBytes(MasterKey.Length);
        using var key = new MasterKey((byte[])material.Clone());

        key.CheckValue.Should().NotEqual(material);
        key.SealingKey.ToArray().Should().NotEqual(material);
        key.SealingKey.ToArray().Should().NotEqual(key.CheckValue);
    }

    [Fact]
    public void The_audit_cursor_key_is_a_subkey_of_its_own_that_shares_nothing_with_the_sealing_key()
    {
        var material = RandomNumberGenerator.GetBytes(MasterKey.Length);
        using var key = new MasterKey((byte[])material.Clone());

        var cursorKey = key.AuditCursorKey.ToArray();

        cursorKey.Should().HaveCount(MasterKey.AuditCursorKeySize);
        cursorKey.AsSpan().IndexOf(key.SealingKey[..16]).Should().Be(-1);
        cursorKey.AsSpan().IndexOf(material.AsSpan(0, 16)).Should().Be(-1);
        cursorKey.AsSpan().IndexOf(key.CheckValue.AsSpan(0, 16)).Should().Be(-1);
    }

    [Fact]
    public void Dispose_wipes_the_audit_cursor_key_too()
    {
        var key = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));
        var field = typeof(MasterKey).GetField("_cursorKey", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            ?? throw new InvalidOperationException("MasterKey._cursorKey was renamed; update this test.");

        key.Dispose();

        ((byte[])field.GetValue(key)!).Should().OnlyContain(b => b == 0);
        var use = () => key.AuditCursorKey.Length;
        use.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Constructor_wipes_the_configured_bytes()
    {
        var material = RandomNumberGenerator.GetBytes(MasterKey.Length);

        using var key = new MasterKey(material);

        material.Should().NotContain(b => b != 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Key_material_that_is_not_32_bytes_is_refused_and_wiped(int length)
    {
        var material = RandomNumberGenerator.GetBytes(length);

        var act = () => new MasterKey(material);

        act.Should().Throw<ArgumentException>();
        material.Should().NotContain(b => b != 0);
    }

    [Fact]
    public void Dispose_wipes_the_sealing_key_and_refuses_to_hand_it_out_again()
    {
        var key = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));
        var field = typeof(MasterKey).GetField("_sealingKey", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            ?? throw new InvalidOperationException("MasterKey._sealingKey was renamed; update this test.");

        key.Dispose();

        ((byte[])field.GetValue(key)!).Should().OnlyContain(b => b == 0);
        var use = () => key.SealingKey.Length;
        use.Should().Throw<ObjectDisposedException>("sealing under an all-zero key after shutdown must be impossible");
    }

    [Fact]
    public void ToString_reveals_nothing()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.Length));

        key.ToString().Should().Be("MasterKey(redacted)");
    }
}
