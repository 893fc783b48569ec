using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Domain.UnitTests.Keys;

public class KeyRingTests
{
    [Fact]
    public void A_ring_without_versions_is_refused()
    {
        var act = () => new KeyRing([], minDecryptionVersion: 1);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("versions");
    }

    [Theory]
    [InlineData(new[] { 1, 3 })]
    [InlineData(new[] { 2, 3 })]
    [InlineData(new[] { 1, 1, 2 })]
    [InlineData(new[] { 1, 2, 2 })]
    [InlineData(new[] { 0, 1 })]
    public void Versions_that_do_not_run_1_to_n_without_gaps_or_duplicates_are_refused(int[] versions)
    {
        var act = () => new KeyRing(TestKeyVersions.Numbered(versions), minDecryptionVersion: 1);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("versions");
    }

    [Fact]
    public void Versions_given_out_of_order_are_kept_oldest_first()
    {
        var ring = new KeyRing(TestKeyVersions.Numbered(3, 1, 2), minDecryptionVersion: 1);

        ring.Versions.Select(v => v.Version).Should().Equal(1, 2, 3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4)]
    public void A_minimum_decryption_version_outside_1_to_latest_is_refused(int minimum)
    {
        var act = () => new KeyRing(TestKeyVersions.Numbered(1, 2, 3), minimum);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("minDecryptionVersion");
    }

    [Fact]
    public void The_minimum_may_equal_the_latest_version()
    {
        var ring = TestKeyVersions.Ring(3, minDecryptionVersion: 3);

        ring.MinDecryptionVersion.Should().Be(3);
    }

    [Fact]
    public void Latest_is_the_highest_version_and_the_next_rotation_gets_one_more()
    {
        var ring = TestKeyVersions.Ring(3);

        ring.Latest.Version.Should().Be(3);
        ring.NextVersion.Should().Be(4);
    }

    [Fact]
    public void Find_returns_the_version_with_that_number_or_null()
    {
        var ring = TestKeyVersions.Ring(3);

        ring.Find(2).Should().BeSameAs(ring.Versions[1]);
        ring.Find(2)!.Version.Should().Be(2);
        ring.Find(0).Should().BeNull();
        ring.Find(-1).Should().BeNull();
        ring.Find(4).Should().BeNull();
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void Only_existing_versions_at_or_above_the_minimum_may_decrypt(int version, bool allowed)
    {
        var ring = TestKeyVersions.Ring(4, minDecryptionVersion: 3);

        ring.IsDecryptionAllowed(version).Should().Be(allowed);
    }

    [Fact]
    public void Decryption_candidates_run_latest_first_and_stop_at_the_minimum()
    {
        var ring = TestKeyVersions.Ring(4, minDecryptionVersion: 2);

        ring.DecryptionCandidatesLatestFirst().Select(v => v.Version).Should().Equal(4, 3, 2);
    }

    [Fact]
    public void With_the_minimum_at_1_every_version_is_a_candidate()
    {
        TestKeyVersions.Ring(3).DecryptionCandidatesLatestFirst().Select(v => v.Version).Should().Equal(3, 2, 1);
    }

    [Fact]
    public void With_the_minimum_at_the_latest_only_the_latest_is_a_candidate()
    {
        TestKeyVersions.Ring(3, minDecryptionVersion: 3).DecryptionCandidatesLatestFirst().Select(v => v.Version).Should().Equal(3);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void A_valid_minimum_setting_lies_between_1_and_the_latest_version(int minimum, bool valid)
    {
        TestKeyVersions.Ring(3).IsValidMinDecryptionVersion(minimum).Should().Be(valid);
    }

    [Fact]
    public void With_returns_a_new_ring_with_the_next_version_appended_and_leaves_this_one_alone()
    {
        var ring = TestKeyVersions.Ring(2, minDecryptionVersion: 2);

        var extended = ring.With(TestKeyVersions.Numbered(3));

        extended.Versions.Select(v => v.Version).Should().Equal(1, 2, 3);
        extended.MinDecryptionVersion.Should().Be(2);
        ring.Versions.Should().HaveCount(2);
    }

    [Fact]
    public void A_lowered_minimum_lets_older_versions_decrypt_again()
    {
        var ring = TestKeyVersions.Ring(3, minDecryptionVersion: 3);

        var lowered = ring.WithMinDecryptionVersion(1);

        lowered.IsDecryptionAllowed(1).Should().BeTrue();
        ring.IsDecryptionAllowed(1).Should().BeFalse();
    }

    [Fact]
    public void A_version_without_a_signing_key_takes_one_once_and_the_rest_of_the_ring_stays()
    {
        var ring = TestKeyVersions.Ring(3, minDecryptionVersion: 2);
        var signing = new SigningKey([0x30, 0x01], new SealedPrivateKey([0x5A]));

        var signed = ring.WithSigningKey(3, signing);

        signed.Latest.SigningKey.Should().BeSameAs(signing);
        signed.Latest.SealedPrivateKey.Should().BeSameAs(ring.Latest.SealedPrivateKey);
        signed.Versions.Take(2).Should().Equal(ring.Versions.Take(2));
        signed.MinDecryptionVersion.Should().Be(2);
        ring.Latest.SigningKey.Should().BeNull("rings are immutable");
        var twice = () => signed.WithSigningKey(3, signing);
        twice.Should().Throw<ArgumentException>("a published signing key is never replaced");
        var missing = () => ring.WithSigningKey(4, signing);
        missing.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Verification_candidates_are_every_version_with_a_signing_key_latest_first_whatever_the_minimum()
    {
        var ring = TestKeyVersions.Ring(4, minDecryptionVersion: 4)
            .WithSigningKey(1, new SigningKey([1], new SealedPrivateKey([1])))
            .WithSigningKey(3, new SigningKey([3], new SealedPrivateKey([3])));

        ring.VerificationCandidatesLatestFirst().Select(v => v.Version).Should().Equal(3, 1);
    }

    [Fact]
    public void A_reseal_keeps_every_key_pair_and_the_minimum_and_takes_only_new_sealed_bytes()
    {
        var ring = TestKeyVersions.Ring(3, minDecryptionVersion: 2);
        var resealed = ring.Versions.Select(v => v with { SealedPrivateKey = new SealedPrivateKey([0x42, (byte)v.Version], "0011223344556677") }).ToArray();

        var next = ring.Resealed(resealed);

        next.MinDecryptionVersion.Should().Be(2);
        next.Versions.Select(v => v.SealedPrivateKey.SealedBy).Should().OnlyContain(id => id == "0011223344556677");
        next.Versions.Select(v => v.PublicKey).Should().Equal(ring.Versions.Select(v => v.PublicKey));
    }

    [Fact]
    public void A_reseal_that_changes_a_key_pair_or_drops_a_version_is_a_bug()
    {
        var ring = TestKeyVersions.Ring(2, minDecryptionVersion: 1);
        var otherPair = ring.Versions.Select(v => v with { PublicKey = [0x30, 0x00] }).ToArray();

        var changed = () => ring.Resealed(otherPair);
        var dropped = () => ring.Resealed([ring.Versions[0]]);

        changed.Should().Throw<ArgumentException>();
        dropped.Should().Throw<ArgumentException>();
    }
}
