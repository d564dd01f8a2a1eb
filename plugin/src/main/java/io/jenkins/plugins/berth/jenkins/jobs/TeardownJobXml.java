package io.jenkins.plugins.berth.jenkins.jobs;

import io.jenkins.plugins.berth.pipeline.BranchJobScripts;

/**
 * The teardown job's config.xml: its parameters (project, environment, whether to skip the teardown stages
 * and why) and the constant teardown script, sandboxed, one build at a time. Written as XML because that is how Jenkins creates any job from outside.
 */
final class TeardownJobXml {

    private TeardownJobXml() {}

    static String of(String folderFullName) {
        return """
                <?xml version='1.1' encoding='UTF-8'?>
                <flow-definition>
                  <description>Tears down environments of the Berth folder @FOLDER@ from the files kept at their last \
                deploy. Berth schedules its builds; run one again to retry a teardown.</description>
                  <properties>
                    <org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty/>
                    <hudson.model.ParametersDefinitionProperty>
                      <parameterDefinitions>
                        <hudson.model.StringParameterDefinition>
                          <name>@PROJECT@</name>
                          <description>The project the environment belongs to</description>
                          <trim>true</trim>
                        </hudson.model.StringParameterDefinition>
                        <hudson.model.StringParameterDefinition>
                          <name>@ENVIRONMENT@</name>
                          <description>The environment to tear down</description>
                          <trim>true</trim>
                        </hudson.model.StringParameterDefinition>
                        <hudson.model.BooleanParameterDefinition>
                          <name>@SKIP@</name>
                          <description>Skip the teardown stages (one that keeps failing blocks the teardown); needs \
                a reason</description>
                          <defaultValue>false</defaultValue>
                        </hudson.model.BooleanParameterDefinition>
                        <hudson.model.StringParameterDefinition>
                          <name>@REASON@</name>
                          <description>Why the teardown stages are skipped, one line; the environment&apos;s record \
                keeps it</description>
                          <trim>true</trim>
                        </hudson.model.StringParameterDefinition>
                      </parameterDefinitions>
                    </hudson.model.ParametersDefinitionProperty>
                  </properties>
                  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
                    <script>@SCRIPT@</script>
                    <sandbox>true</sandbox>
                  </definition>
                  <disabled>false</disabled>
                </flow-definition>
                """.replace("@PROJECT@", TeardownJobs.PROJECT_PARAMETER)
                .replace("@ENVIRONMENT@", TeardownJobs.ENVIRONMENT_PARAMETER)
                .replace("@SKIP@", TeardownJobs.SKIP_STAGES_PARAMETER)
                .replace("@REASON@", TeardownJobs.SKIP_REASON_PARAMETER)
                .replace("@SCRIPT@", escape(BranchJobScripts.TEARDOWN))
                // Last: a folder name cannot hold '@' (Jenkins refuses it), so nothing is replaced inside it.
                .replace("@FOLDER@", escape(folderFullName));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
