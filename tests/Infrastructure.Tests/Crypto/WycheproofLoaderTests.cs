using CryptoSecure.Infrastructure.Tests.TestVectors;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>The vector loader itself: a missing file must fail the run, never quietly yield no cases.</summary>
public sealed class WycheproofLoaderTests
{
    [Fact]
    public void Missing_vector_file_throws_naming_its_path()
    {
        var act = () => Wycheproof.Load("no_such_vectors_test.json");

        act.Should().Throw<FileNotFoundException>()
            .Which.Message.Should().Contain(Wycheproof.PathOf("no_such_vectors_test.json"));
    }

    [Fact]
    public void Every_expected_vector_file_is_next_to_the_test_binaries()
    {
        string[] files =
        [
            "rsa_oaep_2048_sha256_mgf1sha256_test.json",
            "rsa_oaep_3072_sha256_mgf1sha256_test.json",
            "rsa_oaep_4096_sha256_mgf1sha256_test.json",
            "aes_gcm_test.json",
            "json_web_encryption_test.json",
        ];

        files.Should().AllSatisfy(f => File.Exists(Wycheproof.PathOf(f)).Should().BeTrue($"{Wycheproof.PathOf(f)} must exist"));
    }

    [Fact]
    public void Vector_files_yield_the_declared_number_of_tests()
    {
        Wycheproof.RsaOaep(2048).Should().HaveCount(37);
        Wycheproof.RsaOaep(3072).Should().HaveCount(37);
        Wycheproof.RsaOaep(4096).Should().HaveCount(37);
        Wycheproof.Jwe().Should().HaveCount(139);
        Wycheproof.AesGcm256().Should().HaveCount(66);
    }
}
