package io.jenkins.plugins.berth.jenkins.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The teardown job's config.xml, read back as Jenkins would read it. */
class TeardownJobXmlTest {

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theJobTakesTheEnvironmentAndWhetherToSkipTheTeardownStagesAndWhy() throws Exception {
        Document job = parse(TeardownJobXml.of("team/shop & co"));
        List<String> parameters = new ArrayList<>();
        NodeList definitions = job.getElementsByTagName("parameterDefinitions").item(0).getChildNodes();
        for (int i = 0; i < definitions.getLength(); i++) {
            if (definitions.item(i) instanceof Element definition) {
                parameters.add(definition.getTagName() + " "
                        + definition.getElementsByTagName("name").item(0).getTextContent());
            }
        }
        assertThat(parameters).containsExactly("hudson.model.StringParameterDefinition BERTH_PROJECT",
                "hudson.model.StringParameterDefinition BERTH_ENVIRONMENT",
                "hudson.model.BooleanParameterDefinition BERTH_SKIP_STAGES",
                "hudson.model.StringParameterDefinition BERTH_SKIP_REASON");
        assertThat(job.getElementsByTagName("defaultValue").item(0).getTextContent()).isEqualTo("false");
        assertThat(job.getElementsByTagName("script").item(0).getTextContent()).isEqualTo(BranchJobScripts.TEARDOWN);
        assertThat(job.getElementsByTagName("description").item(0).getTextContent())
                .startsWith("Tears down environments of the Berth folder team/shop & co from the files kept");
    }
}
