package dev.livepet.viewer.pets.rules;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The id of an adopted pet, in [2^32, 2^53): above every seeded id (1..N) and exact in JavaScript.
 * It is a keyed hash of the adopt form's command id, so a double submit names the same pet while no player
 * can choose an id (the key never leaves this process).
 */
public final class NewPetId {
    public static final long FIRST = 1L << 32;
    public static final long END = 1L << 53;
    private static final String MAC = "HmacSHA256";

    private final SecretKeySpec key;

    public NewPetId(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the secret needs at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), MAC);
    }

    public static NewPetId withRandomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new NewPetId(secret);
    }

    public long forCommand(String commandId) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            long bits = ByteBuffer.wrap(mac.doFinal(commandId.getBytes(StandardCharsets.UTF_8))).getLong();
            return FIRST + Math.floorMod(bits, END - FIRST);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM lacks " + MAC, e);
        }
    }
}
