package io.infrasteps.engine.shard;

import io.infrasteps.engine.common.HostileValues;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Site;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardNameTest {
    /** Both the base and a region contain dashes, and one region name is a prefix of another. */
    private static final Site SITE = Site.parse(String.join("\n",
            "name: stage-8x8",
            "domain: stage.example.com",
            "regions:",
            "  - name: eu-frankfurt-1",
            "  - name: us-ashburn-1",
            "  - name: us-ashburn-1-b",
            ""), "s.yaml");

    @Test
    void parsesRegionsFromTheSiteNotFromDashes() {
        ShardName shard = ShardName.parse("shard", "stage-8x8-eu-frankfurt-1-s2", SITE);
        assertEquals("eu-frankfurt-1", shard.region());
        assertEquals(2, shard.number());
        assertEquals("stage-8x8", shard.base());
        assertEquals("stage-8x8-eu-frankfurt-1-s2", shard.toString());
        assertEquals("us-ashburn-1-b", ShardName.parse("shard", "stage-8x8-us-ashburn-1-b-s17", SITE).region());
        assertEquals("us-ashburn-1", ShardName.parse("shard", "stage-8x8-us-ashburn-1-s17", SITE).region());
    }

    @Test
    void rejectsOtherEnvironmentsRegionsAndNumbers() {
        for (String bad : List.of("stage-8x9-eu-frankfurt-1-s2", "stage-8x8-mars-1-s2", "stage-8x8-eu-frankfurt-1-s0",
                "stage-8x8-eu-frankfurt-1-s01", "stage-8x8-eu-frankfurt-1-s10000", "stage-8x8-eu-frankfurt-1", "stage-8x8-eu-frankfurt-1-sx")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ShardName.parse("shards[0]", bad, SITE), bad);
            assertEquals("shards[0]", e.field());
            assertTrue(e.getMessage().contains("stage-8x8-<region>-s<N>"), e.getMessage());
        }
        for (String bad : HostileValues.all()) {
            assertEquals("shards[1]", assertThrows(InvalidInputException.class, () -> ShardName.parse("shards[1]", bad, SITE)).field());
        }
    }

    @Test
    void nextFreeNumbersAreTheLowestUnusedAcrossAllRegions() {
        List<ShardName> existing = List.of(new ShardName("stage-8x8", "eu-frankfurt-1", 1), new ShardName("stage-8x8", "us-ashburn-1", 2),
                new ShardName("stage-8x8", "us-ashburn-1", 4));
        assertEquals(List.of(3, 5, 6), ShardName.nextFreeNumbers(existing, 3));
        assertEquals(List.of(1), ShardName.nextFreeNumbers(List.of(), 1));
        assertEquals("count", assertThrows(InvalidInputException.class, () -> ShardName.nextFreeNumbers(existing, 0)).field());
    }
}
