using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using CryptoSecure.Infrastructure.Persistence.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using static CryptoSecure.Infrastructure.Tests.Persistence.KeyStoreFixtures;

namespace CryptoSecure.Infrastructure.Tests.Persistence.Mongo;

/// <summary>The BSON form of identities and audit events, without a server: what is written is what reads back.</summary>
public sealed class MongoDocumentsTests
{
    [Fact]
    public void An_identity_survives_the_trip_through_BSON_bytes_with_every_field_and_key_byte()
    {
        var registered = NewIdentity("Alice.Smith@Example.com", exportable: false);
        var identity = Identity.Restore(
            registered.Id,
            registered.Email,
            registered.ApiKeyHash,
            registered.Exportable,
            registered.CreatedAt,
            revision: 3,
            new KeyRing([registered.Keys.Latest, NewVersion(2, KeySize.Rsa3072), NewVersion(3, KeySize.Rsa4096)], minDecryptionVersion: 2));

        var found = MongoDocuments.ToIdentity(ThroughBytes(MongoDocuments.ToDocument(identity)));

        found.Id.Should().Be(identity.Id);
        found.Email.Display.Should().Be("Alice.Smith@Example.com");
        found.Email.Normalized.Should().Be("alice.smith@example.com");
        found.ApiKeyHash.Should().Be(identity.ApiKeyHash);
        found.Exportable.Should().BeFalse();
        found.CreatedAt.Should().Be(identity.CreatedAt);
        found.Revision.Should().Be(3);
        found.Keys.MinDecryptionVersion.Should().Be(2);
        found.Keys.Versions.Should().HaveCount(3);
        foreach (var (expected, actual) in identity.Keys.Versions.Zip(found.Keys.Versions))
        {
            actual.Version.Should().Be(expected.Version);
            actual.Size.Should().Be(expected.Size);
            actual.PublicKey.Should().Equal(expected.PublicKey);
            actual.SealedPrivateKey.ToArray().Should().Equal(expected.SealedPrivateKey.ToArray());
            actual.CreatedAt.Should().Be(expected.CreatedAt);
        }
    }

    [Fact]
    public void A_signing_key_survives_the_trip_and_a_version_from_before_schema_4_reads_back_without_one()
    {
        var registered = NewIdentity("signer@example.com");
        var signing = NewSigningKey();
        var identity = registered.Rotate(NewVersion(2) with { SigningKey = signing });

        var document = MongoDocuments.ToDocument(identity);
        var found = MongoDocuments.ToIdentity(ThroughBytes(document));

        document[MongoSchema.IdentityFields.Keys][0].AsBsonDocument.Names.Should().NotContain(
            [MongoSchema.KeyVersionFields.SigningPublicKey, MongoSchema.KeyVersionFields.SealedSigningKey], "a version without one stores no field, as old documents have none");
        found.Keys.Versions[0].SigningKey.Should().BeNull();
        found.Keys.Latest.SigningKey!.PublicKey.Should().Equal(signing.PublicKey);
        found.Keys.Latest.SigningKey!.SealedPrivateKey.ToArray().Should().Equal(signing.SealedPrivateKey.ToArray());
        document[MongoSchema.IdentityFields.Keys][1][MongoSchema.KeyVersionFields.SealedSigningKey].AsBsonBinaryData.SubType.Should().Be(BsonBinarySubType.Binary);
    }

    [Fact]
    public void A_saved_state_sets_every_changeable_field_as_the_document_stores_it_and_never_the_id_creation_time_or_ring()
    {
        var identity = Rotated(NewIdentity("set@example.com")).Configure(2, TimeSpan.FromHours(1)).ScheduleDeletion(DateTimeOffset.UtcNow.AddDays(7));
        var document = MongoDocuments.ToDocument(identity);

        var set = Render(MongoDocuments.SetIdentityFields(identity));

        set.Names.Should().Equal("$set");
        var fields = set["$set"].AsBsonDocument;
        fields.Names.Should().BeEquivalentTo(document.Names.Except(["_id", "createdAt", "keys"]));
        foreach (var field in fields)
        {
            field.Value.Should().Be(document[field.Name], $"{field.Name} is written as a new document holds it");
            field.Value.BsonType.Should().Be(document[field.Name].BsonType);
        }

        fields["revision"].BsonType.Should().Be(BsonType.Int64);
    }

    [Fact]
    public void A_saved_state_without_a_pending_deletion_or_a_rotation_period_removes_those_fields_so_the_due_indexes_drop_it()
    {
        var identity = NewIdentity("unset@example.com");

        var update = Render(MongoDocuments.SetIdentityFields(identity));

        update["$unset"].AsBsonDocument.Names.Should().BeEquivalentTo("deletesAt", "autoRotateSeconds", "nextRotationAt");
        MongoDocuments.ToDocument(identity).Names.Should().NotContain(["deletesAt", "autoRotateSeconds", "nextRotationAt"]);
        var restored = MongoDocuments.ToIdentity(MongoDocuments.ToDocument(identity.Configure(1, TimeSpan.FromSeconds(7200)).ScheduleDeletion(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000))));
        restored.AutoRotatePeriod.Should().Be(TimeSpan.FromSeconds(7200));
        restored.DeletesAt.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
    }

    private static BsonDocument Render(MongoDB.Driver.UpdateDefinition<BsonDocument> update) =>
        update.Render(new MongoDB.Driver.RenderArgs<BsonDocument>(BsonSerializer.SerializerRegistry.GetSerializer<BsonDocument>(), BsonSerializer.SerializerRegistry)).AsBsonDocument;

    [Fact]
    public void The_identity_id_is_a_standard_uuid_in_RFC_4122_byte_order()
    {
        var identity = NewIdentity("uuid@example.com");

        var id = MongoDocuments.ToDocument(identity)["_id"].AsBsonBinaryData;

        id.SubType.Should().Be(BsonBinarySubType.UuidStandard);
        id.Bytes.Should().Equal(identity.Id.ToByteArray(bigEndian: true));
        MongoDocuments.ToGuid(id).Should().Be(identity.Id);
    }

    [Fact]
    public void Keys_and_hashes_are_generic_binary_and_counters_have_fixed_types()
    {
        var identity = NewIdentity("types@example.com");

        var document = MongoDocuments.ToDocument(identity);
        var version = document["keys"].AsBsonArray.Single().AsBsonDocument;

        document["emailNormalized"].AsString.Should().Be("types@example.com");
        document["apiKeyHash"].AsBsonBinaryData.SubType.Should().Be(BsonBinarySubType.Binary);
        document["apiKeyHash"].AsBsonBinaryData.Bytes.Should().Equal(identity.ApiKeyHash.ToArray());
        document["revision"].BsonType.Should().Be(BsonType.Int64, "the concurrency filter compares it with a long");
        document["createdAt"].BsonType.Should().Be(BsonType.DateTime);
        version["version"].BsonType.Should().Be(BsonType.Int32);
        version["publicKey"].AsBsonBinaryData.SubType.Should().Be(BsonBinarySubType.Binary);
        version["sealedPrivateKey"].AsBsonBinaryData.SubType.Should().Be(BsonBinarySubType.Binary);
        version["sealedPrivateKey"].AsBsonBinaryData.Bytes.Should().Equal(identity.Keys.Latest.SealedPrivateKey.ToArray());
    }

    [Fact]
    public void Times_are_kept_to_the_millisecond_as_UTC()
    {
        var precise = new DateTimeOffset(2025, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2)).AddTicks(8979);
        var version = new KeyVersion(1, KeySize.Rsa2048, [1, 2, 3], new SealedPrivateKey([4, 5, 6]), precise);

        var back = MongoDocuments.ToKeyVersion(ThroughBytes(MongoDocuments.ToDocument(version)));

        back.CreatedAt.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(precise.ToUnixTimeMilliseconds()));
        back.CreatedAt.Offset.Should().Be(TimeSpan.Zero);
        back.CreatedAt.Should().BeCloseTo(precise, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void An_audit_event_survives_the_trip_with_every_field()
    {
        var auditEvent = new AuditEvent(Guid.CreateVersion7(), DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_123), AuditAction.Decrypted, AuditOutcome.Failure, AuditActor.Admin, 7, "203.0.113.9", "req-42");
        var id = ObjectId.GenerateNewId();

        var document = ThroughBytes(MongoDocuments.ToDocument(auditEvent, id));

        document["_id"].AsObjectId.Should().Be(id);
        document["identityId"].AsBsonBinaryData.SubType.Should().Be(BsonBinarySubType.UuidStandard);
        document["action"].AsString.Should().Be("Decrypted");
        MongoDocuments.ToAuditEvent(document).Should().Be(auditEvent);
    }

    [Fact]
    public void An_audit_event_without_optional_fields_stores_none_and_reads_back_nulls()
    {
        var auditEvent = new AuditEvent(Guid.NewGuid(), DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000), AuditAction.Encrypted, AuditOutcome.Success, AuditActor.Anonymous, null, null, null);

        var document = MongoDocuments.ToDocument(auditEvent, ObjectId.GenerateNewId());

        document.Names.Should().NotContain(["keyVersion", "clientAddress", "requestId"]);
        MongoDocuments.ToAuditEvent(ThroughBytes(document)).Should().Be(auditEvent);
    }

    private static BsonDocument ThroughBytes(BsonDocument document) => BsonSerializer.Deserialize<BsonDocument>(document.ToBson());
}
